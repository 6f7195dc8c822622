// The window's language: English (the source strings) or Korean (a QTranslator
// loaded from :/i18n/socketlab_ko.qm, built by qt_add_translations from
// resources/translations/socketlab_ko.ts). Switching posts QEvent::LanguageChange to
// every widget; widgets whose texts are set once retranslate in changeEvent().
//
// Thread affinity: GUI thread.
#pragma once

#include <QString>
#include <functional>

class QWidget;

namespace sl::ui {

// "en" or "ko" (anything else is "en"). Installs or removes the Korean translator on
// the application and saves the choice in QSettings ("ui/language"). False when the
// Korean catalogue cannot be loaded (the language stays English). remember = false
// (the CLI's export) installs it without saving the choice.
bool setUiLanguage(const QString &lang, bool remember = true);
QString uiLanguage();      // the language installed now
QString savedUiLanguage(); // the language saved by the last switch ("en" when none)

// Calls `apply` now and again whenever `widget` receives QEvent::LanguageChange: for
// texts set once (labels, tooltips, legends) of panels that are not classes of their own
// or would otherwise need a changeEvent() override only for this.
void retranslateWith(QWidget *widget, std::function<void()> apply);

} // namespace sl::ui
