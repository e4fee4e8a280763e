#pragma once

#include <QString>

#include <string>

namespace eventflow::studio {

/// "1 error", "3 errors": English plurals without shipping a translation catalogue.
inline QString countOf(qsizetype n, const QString& singular, const QString& plural)
{
    return QString::number(n) + QLatin1Char(' ') + (n == 1 ? singular : plural);
}

/// The model's UTF-8 text as Qt text.
inline QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace eventflow::studio
