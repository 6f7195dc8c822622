// The window's entry point, called by app/main.cpp when a display is present.
#pragma once

namespace sl::ui {

// socketlab [--lang en|ko] [LESSON|FILE.lab]: the lab window, ready to step.
int guiMain(int argc, char **argv);

} // namespace sl::ui
