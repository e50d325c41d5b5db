# sourced by the fake tesseracts: answer the probes the way the real one does
case "$1" in
  --version) echo "tesseract 5.3.0-fake"; exit 0;;
  --list-langs) printf 'List of available languages in "/fake/" (3):\neng\nosd\nvie\n'; exit 0;;
esac
