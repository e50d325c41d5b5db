"""The flow served (``dti serve``), at province scale (``scaleout``), and timed (``dti bench pipeline``)."""
