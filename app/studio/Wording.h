#pragma once

#include <QString>

namespace eventflow::studio {

/// "1 error", "3 errors": English plurals without shipping a translation catalogue.
inline QString countOf(qsizetype n, const QString& singular, const QString& plural)
{
    return QString::number(n) + QLatin1Char(' ') + (n == 1 ? singular : plural);
}

} // namespace eventflow::studio
