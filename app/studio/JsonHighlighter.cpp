#include "JsonHighlighter.h"

#include <QGuiApplication>

namespace eventflow::studio {

namespace {

bool isNumberStart(QChar c)
{
    return c.isDigit() || c == u'-';
}

bool isNumberPart(QChar c)
{
    return c.isDigit() || c == u'.' || c == u'e' || c == u'E' || c == u'+' || c == u'-';
}

// Index just past the string opened at `start` (a '"'), or the line's end for an unterminated
// string: JSON strings cannot span lines, so nothing carries over to the next block.
qsizetype stringEnd(const QString& text, qsizetype start)
{
    for (qsizetype i = start + 1; i < text.size(); ++i) {
        if (text[i] == u'\\')
            ++i;
        else if (text[i] == u'"')
            return i + 1;
    }
    return text.size();
}

// A string is an object key when the next non-blank character on its line is a colon.
bool followedByColon(const QString& text, qsizetype from)
{
    for (qsizetype i = from; i < text.size(); ++i) {
        if (text[i].isSpace())
            continue;
        return text[i] == u':';
    }
    return false;
}

} // namespace

JsonHighlighter::JsonHighlighter(QTextDocument* document) : QSyntaxHighlighter(document)
{
    setPalette(QGuiApplication::palette());
}

bool JsonHighlighter::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor JsonHighlighter::colour(Role role, const QPalette& palette)
{
    const bool dark = isDark(palette);
    switch (role) {
    case Role::Key:
        return dark ? QColor(0x8A, 0xB4, 0xF8) : QColor(0x1A, 0x4F, 0xA0);
    case Role::String:
        return dark ? QColor(0x9C, 0xD6, 0x8F) : QColor(0x1B, 0x6E, 0x2A);
    case Role::Number:
        return dark ? QColor(0xF2, 0xB4, 0x6B) : QColor(0xA3, 0x4A, 0x00);
    case Role::Literal:
        return dark ? QColor(0xD7, 0xA6, 0xF5) : QColor(0x7B, 0x1F, 0xA2);
    case Role::Error:
        return dark ? QColor(0xF2, 0x8B, 0x82) : QColor(0xB3, 0x26, 0x1E);
    case Role::Success:
        return dark ? QColor(0x81, 0xC9, 0x95) : QColor(0x1E, 0x7B, 0x34);
    case Role::Punctuation: {
        // Between text and base, so brackets recede behind the content without vanishing.
        const QColor text = palette.color(QPalette::Text);
        const QColor base = palette.color(QPalette::Base);
        return QColor::fromRgbF(text.redF() * 0.65f + base.redF() * 0.35f,
                                text.greenF() * 0.65f + base.greenF() * 0.35f,
                                text.blueF() * 0.65f + base.blueF() * 0.35f);
    }
    }
    return palette.color(QPalette::Text);
}

void JsonHighlighter::setPalette(const QPalette& palette)
{
    m_key = {};
    m_key.setForeground(colour(Role::Key, palette));
    m_string = {};
    m_string.setForeground(colour(Role::String, palette));
    m_number = {};
    m_number.setForeground(colour(Role::Number, palette));
    m_literal = {};
    m_literal.setForeground(colour(Role::Literal, palette));
    m_literal.setFontWeight(QFont::Bold);
    m_punctuation = {};
    m_punctuation.setForeground(colour(Role::Punctuation, palette));
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString& text)
{
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == u'"') {
            const qsizetype end = stringEnd(text, i);
            setFormat(int(i), int(end - i), followedByColon(text, end) ? m_key : m_string);
            i = end;
        } else if (isNumberStart(c)) {
            qsizetype end = i + 1;
            while (end < text.size() && isNumberPart(text[end]))
                ++end;
            setFormat(int(i), int(end - i), m_number);
            i = end;
        } else if (c.isLetter()) {
            qsizetype end = i + 1;
            while (end < text.size() && text[end].isLetterOrNumber())
                ++end;
            const QStringView word = QStringView(text).mid(i, end - i);
            if (word == u"true" || word == u"false" || word == u"null")
                setFormat(int(i), int(end - i), m_literal);
            i = end;
        } else if (c == u'{' || c == u'}' || c == u'[' || c == u']' || c == u':' || c == u',') {
            setFormat(int(i), 1, m_punctuation);
            ++i;
        } else {
            ++i;
        }
    }
}

} // namespace eventflow::studio
