#!/bin/sh
# Refresh resources/translations/socketlab_ko.ts from the tr() strings in ui/, app/ and core/view/:
# new strings arrive as type="unfinished" (tst_translations fails until each one has
# its Korean), strings gone from the sources are dropped (-no-obsolete).
# Translate with Qt Linguist (linguist resources/translations/socketlab_ko.ts) or by
# editing the <translation> elements, then rebuild: qt_add_translations runs lrelease.
set -eu
cd "$(dirname "$0")/.."
LUPDATE=${LUPDATE:-$(command -v lupdate6 || command -v lupdate || echo /usr/lib/qt6/bin/lupdate)}
"$LUPDATE" -no-obsolete -locations none -source-language en -target-language ko \
    ui app core/view -ts resources/translations/socketlab_ko.ts
