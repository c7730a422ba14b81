#!/usr/bin/env bash
# Refreshes the explorer's message catalogues after a string was added or changed:
# extracts every msgid from app/ (babel.cfg) into app/web/locale/messages.pot, then merges it
# into each language's messages.po. New entries arrive untranslated: translate them (the unit
# test tests/unit/test_web_i18n.py fails until every catalogue is complete).
#   bash scripts/i18n.sh            extract + update every catalogue
#   bash scripts/i18n.sh init de    also start a new language's catalogue
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
"$PYBABEL" -q extract -F babel.cfg -c "Translators:" --no-location --sort-output \
  --project "CQF Graph" --version 0.1.0 --no-wrap -o app/web/locale/messages.pot app
if [ "${1:-}" = "init" ]; then
  "$PYBABEL" -q init -i app/web/locale/messages.pot -d app/web/locale -l "$2" --no-wrap
fi
"$PYBABEL" -q update -i app/web/locale/messages.pot -d app/web/locale --no-wrap \
  --ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date
# The creation date changes on every run and would only cause merge conflicts.
sed -i "/^\"POT-Creation-Date: /d" app/web/locale/messages.pot app/web/locale/*/LC_MESSAGES/messages.po
