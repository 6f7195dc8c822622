// The window's language: English (the source strings) or Korean (a QTranslator
// loaded from :/i18n/socketlab_ko.qm, built by qt_add_translations from
// resources/translations/socketlab_ko.ts). Switching posts QEvent::LanguageChange to
// every widget; widgets whose texts are set once retranslate in changeEvent().
//
// Thread affinity: GUI thread.
#pragma once

#include <QString>

namespace sl::ui {

// "en" or "ko" (anything else is "en"). Installs or removes the Korean translator on
// the application and saves the choice in QSettings ("ui/language"). False when the
// Korean catalogue cannot be loaded (the language stays English).
bool setUiLanguage(const QString &lang);
QString uiLanguage();      // the language installed now
QString savedUiLanguage(); // the language saved by the last switch ("en" when none)

} // namespace sl::ui
