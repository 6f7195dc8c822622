// `socketlab export --python LESSON|FILE [-o OUT.py] [--lang en|ko] [--comments]`:
// the experiment as a runnable Python 3 program (script/pyexport.h). It shares the one
// `export` verb with the pictures (cmd_export.h) but needs no display and no widgets,
// so main() dispatches it first, in every build (also -DSOCKETLAB_CORE_ONLY=ON).
//
// Thread affinity: main thread; makes its own QCoreApplication.
#pragma once

namespace sl::app {

// True when argv is `export … --python …` (or `--python=…`).
bool isPythonExport(int argc, char **argv);

// The whole verb. Exit status: 0, 1 when the file cannot be written, 2 for a bad
// request or a script that does not parse.
int cmdPyExport(int argc, char **argv);

} // namespace sl::app
