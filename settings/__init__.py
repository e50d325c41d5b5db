"""Every setting (``settings.settings``) and where things are kept (``settings.config``): below every room."""
