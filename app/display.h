// Whether the window can open: decided before any QApplication exists, because Qt's
// platform plugin aborts the process when it cannot reach a display.
//
// Thread affinity: none (reads the environment, makes one short connect()).
#pragma once

#include <QString>

namespace sl::app {

enum class Display {
    None,   // no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM: the terminal is the lab
    Usable, // a display answers (or QT_QPA_PLATFORM chose a platform)
    Dead,   // DISPLAY / WAYLAND_DISPLAY name a display that does not answer
};

// why: for Dead, e.g. "the X display ':99' does not answer".
Display probeDisplay(QString *why = nullptr);

} // namespace sl::app
