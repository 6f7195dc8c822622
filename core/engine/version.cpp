#include "engine/version.h"

namespace sl {
QString labVersion() {
    return QStringLiteral("0.1.0");
}
} // namespace sl
