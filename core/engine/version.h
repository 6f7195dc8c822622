// The lab's version, as shown by `socketlab --version` and written into traces.
#pragma once

#include <QString>

namespace sl {
QString labVersion();
}
