#pragma once

#include "model/Design.h"

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

#include <vector>

namespace eventflow::studio {

/// One workshop scenario shipped with the app: a design file whose name is the title, whose
/// description is the story and whose `lesson` says what a run shows.
struct Scenario {
    QString path;
    QString stem; ///< the file name without ".eventflow.json": what `compare_with` names
    model::Design design;

    QString title() const { return QString::fromStdString(design.name); }
};

/// The scenarios in a folder, in the order the folder's README.md links them (the teaching
/// order; others follow by file name), and what was wrong with the files that did not load.
struct ScenarioList {
    std::vector<Scenario> scenarios;
    QStringList problems;

    const Scenario* find(const QString& stem) const;
};

/// Where the scenarios are: $EVENTFLOW_EXAMPLES when set, else the folder beside the program,
/// <prefix>/share/eventflow-studio/examples for <prefix>/bin — so a package, an unpacked .tar.gz
/// and the build tree (which links build/app/share/eventflow-studio/examples to the sources'
/// examples/) each find theirs. Empty when there is none.
QString scenarioDirectory();

/// Loads every `*.eventflow.json` in `directory`, in README.md's order; a file that does not
/// load is skipped and named in `problems`.
ScenarioList loadScenarios(const QString& directory);

/// The design drawn as the canvas draws it, scaled to fit `size` on the palette's base colour.
QImage scenarioThumbnail(const model::Design& design, QSize size);

} // namespace eventflow::studio
