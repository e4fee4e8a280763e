#pragma once

#include <QColor>
#include <QPalette>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace eventflow::studio {

/// Colours JSON text in a QTextDocument: object keys, string values, numbers, the literals
/// true/false/null and punctuation. Text that is not JSON is left in the default format; the
/// highlighter colours tokens one line at a time and never judges validity (the editors do).
/// Colours come from a palette and keep their contrast on light and dark palettes alike; call
/// setPalette() when the palette changes. The same scheme gives the editors their status colours.
/// Lives in the GUI thread; the document owns it (QObject parent).
class JsonHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    enum class Role { Key, String, Number, Literal, Punctuation, Error, Success };

    /// Uses the application palette until setPalette() says otherwise.
    explicit JsonHighlighter(QTextDocument* document);

    /// Recomputes the formats for `palette` and rehighlights the whole document.
    void setPalette(const QPalette& palette);

    /// True when `palette` draws text fields dark (QPalette::Base lightness below the middle).
    static bool isDark(const QPalette& palette);
    /// The colour of `role` on `palette`: a hue per role, light on dark bases and deep on light
    /// ones, so each reads against QPalette::Base.
    static QColor colour(Role role, const QPalette& palette);

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
    QTextCharFormat m_punctuation;
};

} // namespace eventflow::studio
