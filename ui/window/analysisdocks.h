// The analysis docks of the lab window: the select() panel, the Inspector, the trace
// table and the kernel view — four views of the window's TimeCursor. One call,
// installAnalysisDocks(), creates them as QDockWidgets with object names (so the
// layout is saved with the window state), adds them, and puts their toggle actions
// in the View menu ("viewMenu", created if the window has none).
//
// Thread affinity: GUI thread. The docks and their models are children of the window.
#pragma once

class QDockWidget;

namespace sl::ui {

class MainWindow;

void installAnalysisDocks(MainWindow *w);

// Object names of the docks, for findChild and the saved layout.
inline constexpr const char *SelectDockName = "selectDock";
inline constexpr const char *InspectorDockName = "inspectorDock";
inline constexpr const char *TraceDockName = "traceDock";
inline constexpr const char *KernelDockName = "kernelDock";

} // namespace sl::ui
