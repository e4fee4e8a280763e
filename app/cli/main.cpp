// The `eventflow` command line: validate, simulate and test patterns headlessly, with the same
// model and engine as the desktop app. Exit codes: 0 success, 1 invalid design / no match,
// 2 unreadable input or bad usage.

#include "SummaryTable.h"
#include "model/CatalogReference.h"
#include "model/DesignFile.h"
#include "model/EventPattern.h"
#include "model/TemplateExporter.h"
#include "model/TemplateImporter.h"
#include "model/Validator.h"
#include "app/report/ReportWriter.h"
#include "sim/Comparison.h"
#include "sim/Engine.h"
#include "sim/Replications.h"
#include "sim/RunReport.h"

#include <QGuiApplication>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace {

using namespace eventflow;

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUnreadable = 2;

void printDiagnostics(const std::string& file, const model::Diagnostics& diagnostics)
{
    for (const auto& d : diagnostics) {
        std::cerr << file << ":" << (d.pointer.empty() ? "/" : d.pointer) << ": "
                  << model::severityName(d.severity) << ": " << d.message << "\n";
        if (!d.fix.empty())
            std::cerr << "    fix: " << d.fix << "\n";
    }
}

/// Loads and validates; on failure prints the diagnostics and returns the exit code.
std::optional<model::Design> loadValid(const std::string& file, int& exitCode, bool printWarnings)
{
    auto loaded = model::DesignFile::load(file);
    if (!loaded.design) {
        printDiagnostics(file, loaded.diagnostics);
        exitCode = loaded.unreadable ? kExitUnreadable : kExitInvalid;
        return std::nullopt;
    }
    const auto diagnostics = model::Validator::validate(*loaded.design);
    if (model::hasErrors(diagnostics) || printWarnings)
        printDiagnostics(file, diagnostics);
    if (model::hasErrors(diagnostics)) {
        exitCode = kExitInvalid;
        return std::nullopt;
    }
    exitCode = kExitOk;
    return std::move(loaded.design);
}

int validateCommand(const std::string& file)
{
    int exitCode = kExitOk;
    auto design = loadValid(file, exitCode, true);
    if (design)
        std::cout << file << ": valid (" << design->components.size() << " components, "
                  << design->connections.size() << " connections)\n";
    return exitCode;
}

bool writeText(const std::string& path, const std::string& text)
{
    if (path == "-") {
        std::cout << text;
        return bool(std::cout);
    }
    // Write beside the target and rename, so a failed write never leaves half a results file.
    const std::string temporary = path + ".writing";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!(out << text)) {
            std::cerr << "eventflow: cannot write " << path << "\n";
            return false;
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        std::cerr << "eventflow: cannot write " << path << "\n";
        return false;
    }
    return true;
}

struct SimulateOptions {
    std::string file;
    std::optional<double> duration;
    std::optional<std::uint64_t> seed;
    std::optional<double> warmup;
    std::string jsonOut;
    std::string csvDir;
    int replications = 1;
    bool quiet = false;
};

int simulateCommand(const SimulateOptions& options)
{
    int exitCode = kExitOk;
    auto design = loadValid(options.file, exitCode, false);
    if (!design)
        return exitCode;
    if (options.duration)
        design->simulation.durationSeconds = *options.duration;
    if (options.seed)
        design->simulation.seed = *options.seed;
    if (options.warmup)
        design->simulation.warmupSeconds = *options.warmup;
    if (design->simulation.warmupSeconds >= design->simulation.durationSeconds) {
        std::cerr << options.file << ": error: the warm-up ("
                  << design->simulation.warmupSeconds << " s) must be shorter than the duration ("
                  << design->simulation.durationSeconds << " s)\n";
        return kExitInvalid;
    }
    const bool jsonToStdout = options.jsonOut == "-";
    std::ostream& report = jsonToStdout ? std::cerr : std::cout;
    const bool showProgress = !options.quiet && isatty(STDERR_FILENO);

    sim::SimulationResults results;
    nlohmann::json replicationJson;
    if (options.replications > 1) {
        const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
        auto runs = sim::Replications::run(*design, options.replications, threads, [&](int done) {
            if (showProgress)
                std::cerr << "\rreplications " << done << "/" << options.replications << std::flush;
        });
        if (showProgress)
            std::cerr << "\n";
        results = runs.runs().front();
        replicationJson = runs.toJson();
    } else {
        sim::Engine engine(*design);
        const sim::SimTime end = engine.endTime();
        const int steps = 100;
        for (int step = 1; step <= steps; ++step) {
            const auto status = engine.runUntil(end * step / steps);
            if (showProgress)
                std::cerr << "\rsimulating " << step << "%" << std::flush;
            if (status != sim::RunStatus::Running)
                break;
        }
        if (showProgress)
            std::cerr << "\r              \r";
        results = engine.results();
    }

    if (!options.quiet) {
        eventflow::cli::writeSummaryTable(report, results);
        if (!replicationJson.is_null())
            eventflow::cli::writeReplicationTable(report, replicationJson);
    }
    if (!options.jsonOut.empty()) {
        auto doc = results.toJson();
        if (!replicationJson.is_null())
            doc["replications"] = replicationJson;
        if (!writeText(options.jsonOut, doc.dump(1) + "\n"))
            return kExitUnreadable;
    }
    if (!options.csvDir.empty())
        if (auto error = results.writeCsv(options.csvDir)) {
            std::cerr << "eventflow: " << *error << "\n";
            return kExitUnreadable;
        }
    if (results.status == "runaway") {
        printDiagnostics(options.file, results.diagnostics);
        return kExitInvalid;
    }
    return kExitOk;
}

struct CompareOptions {
    std::string fileA;
    std::string fileB;
    std::optional<std::uint64_t> seed;
    std::optional<double> duration;
    std::string jsonOut;
};

int compareCommand(const CompareOptions& options)
{
    int exitCode = kExitOk;
    auto a = loadValid(options.fileA, exitCode, false);
    if (!a)
        return exitCode;
    auto b = loadValid(options.fileB, exitCode, false);
    if (!b)
        return exitCode;
    // One seed and duration for both (A's unless given), so traffic draws alike.
    const auto comparison = sim::Comparison::run(
        *a, *b, options.seed.value_or(a->simulation.seed),
        options.duration.value_or(a->simulation.durationSeconds));
    for (const auto& [file, results] : {std::pair{&options.fileA, &comparison.resultsA()},
                                        std::pair{&options.fileB, &comparison.resultsB()}})
        if (results->status == "runaway") {
            printDiagnostics(*file, results->diagnostics);
            return kExitInvalid;
        }
    const bool jsonToStdout = options.jsonOut == "-";
    std::ostream& report = jsonToStdout ? std::cerr : std::cout;
    eventflow::cli::writeComparisonTable(report, comparison);
    if (!options.jsonOut.empty() && !writeText(options.jsonOut, comparison.toJson().dump(1) + "\n"))
        return kExitUnreadable;
    return kExitOk;
}

struct ReportOptions {
    std::string file;
    std::string out;
    std::optional<std::uint64_t> seed;
    std::optional<double> duration;
};

int reportCommand(const ReportOptions& options, int argc, char** argv)
{
    const bool pdf = options.out.size() > 4 && options.out.substr(options.out.size() - 4) == ".pdf";
    const bool html = options.out.size() > 5 &&
                      options.out.substr(options.out.size() - 5) == ".html";
    if (!pdf && !html) {
        std::cerr << "eventflow: the report goes to OUT.html or OUT.pdf; found \"" << options.out
                  << "\"\n";
        return kExitUnreadable;
    }
    int exitCode = kExitOk;
    auto design = loadValid(options.file, exitCode, false);
    if (!design)
        return exitCode;
    if (options.seed)
        design->simulation.seed = *options.seed;
    if (options.duration)
        design->simulation.durationSeconds = *options.duration;
    if (design->simulation.warmupSeconds >= design->simulation.durationSeconds) {
        std::cerr << options.file << ": error: the warm-up must be shorter than the duration\n";
        return kExitInvalid;
    }
    sim::Engine engine(*design);
    engine.run();
    const auto results = engine.results();
    if (results.status == "runaway") {
        printDiagnostics(options.file, results.diagnostics);
        return kExitInvalid;
    }
    const auto report = sim::RunReport::build(*design, results);
    // A PDF needs fonts, hence a GUI application object (the one Qt Gui use of the command
    // line); headless, it draws offscreen. HTML needs none.
    std::optional<QGuiApplication> application;
    if (pdf) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        application.emplace(argc, argv);
    }
    if (auto error = report::ReportWriter::write(report, QString::fromStdString(options.out))) {
        std::cerr << "eventflow: " << error->toStdString() << "\n";
        return kExitUnreadable;
    }
    return kExitOk;
}

std::optional<nlohmann::json> readJsonFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in) {
        std::cerr << path << ": error: cannot open for reading\n";
        return std::nullopt;
    }
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        std::cerr << path << ": error: not valid JSON: " << e.what() << "\n";
        return std::nullopt;
    }
}

int exportCommand(const std::string& file, const std::string& format,
                  const std::string& outputFormat, const std::string& out)
{
    int exitCode = kExitOk;
    auto design = loadValid(file, exitCode, false);
    if (!design)
        return exitCode;
    model::Diagnostics diagnostics;
    const auto flavour = format == "sam" ? model::TemplateFlavour::Sam
                                         : model::TemplateFlavour::CloudFormation;
    const auto syntax =
        outputFormat == "json" ? model::TemplateSyntax::Json : model::TemplateSyntax::Yaml;
    const auto text =
        model::TemplateExporter::write(model::TemplateExporter::build(*design, flavour, diagnostics),
                                       syntax);
    printDiagnostics(file, diagnostics);
    if (model::hasErrors(diagnostics))
        return kExitInvalid;
    return writeText(out.empty() ? "-" : out, text) ? kExitOk : kExitUnreadable;
}

int importCommand(const std::string& file, const std::string& out)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << file << ": error: cannot open for reading\n";
        return kExitUnreadable;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto result = model::TemplateImporter::import(text.str(), file);
    printDiagnostics(file, result.diagnostics);
    if (!result.design)
        return kExitInvalid;
    return writeText(out.empty() ? "-" : out, model::DesignFile::serialize(*result.design))
               ? kExitOk
               : kExitUnreadable;
}

int testPatternCommand(const std::string& patternFile, const std::string& eventFile)
{
    const auto pattern = readJsonFile(patternFile);
    const auto event = readJsonFile(eventFile);
    if (!pattern || !event)
        return kExitUnreadable;
    model::Diagnostics diagnostics;
    const auto compiled = model::EventPattern::parse(*pattern, "", diagnostics);
    if (!compiled) {
        printDiagnostics(patternFile, diagnostics);
        return kExitUnreadable;
    }
    if (!event->is_object()) {
        std::cerr << eventFile << ": error: an event must be a JSON object\n";
        return kExitUnreadable;
    }
    const bool match = compiled->matches(*event);
    std::cout << (match ? "match" : "no match") << "\n";
    return match ? kExitOk : kExitInvalid;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"eventflow — validate and simulate event-driven AWS designs"};
    app.set_version_flag("--version", std::string("eventflow ") + EVENTFLOW_VERSION);
    app.require_subcommand(1);

    std::string validateFile;
    auto* validate = app.add_subcommand("validate", "Check a design: errors and design advice");
    validate->add_option("FILE", validateFile, "design file (.eventflow.json)")->required();

    SimulateOptions sim;
    auto* simulate = app.add_subcommand("simulate", "Simulate a design and report the results");
    simulate->add_option("FILE", sim.file, "design file (.eventflow.json)")->required();
    simulate->add_option("--duration", sim.duration, "simulated seconds (overrides the design)")
        ->check(CLI::PositiveNumber);
    simulate->add_option("--warmup", sim.warmup, "warm-up seconds excluded from results")
        ->check(CLI::NonNegativeNumber);
    simulate->add_option("--seed", sim.seed, "random seed (overrides the design)");
    simulate->add_option("--json", sim.jsonOut, "write the results document to OUT (- = stdout)");
    simulate->add_option("--csv", sim.csvDir, "write time series as CSV files into DIR");
    simulate->add_option("--replications", sim.replications,
                         "run N seeds in parallel and report mean ± 95% CI")
        ->check(CLI::Range(1, 10000));
    simulate->add_flag("--quiet,-q", sim.quiet, "no report on stdout, no progress");

    std::string patternFile, eventFile;
    auto* testPattern = app.add_subcommand(
        "test-pattern", "Decide whether an EventBridge event pattern matches an event");
    testPattern->add_option("--pattern", patternFile, "event pattern JSON file")->required();
    testPattern->add_option("--event", eventFile, "event JSON file")->required();

    std::string exportFile, exportFormat = "sam", exportSyntax = "yaml", exportOut;
    auto* exportTemplate = app.add_subcommand(
        "export", "Write a design as an AWS SAM or CloudFormation template");
    exportTemplate->add_option("FILE", exportFile, "design file (.eventflow.json)")->required();
    exportTemplate->add_option("--format", exportFormat, "sam (default) or cloudformation")
        ->check(CLI::IsMember({"sam", "cloudformation"}));
    exportTemplate->add_option("--output-format", exportSyntax, "yaml (default) or json")
        ->check(CLI::IsMember({"yaml", "json"}));
    exportTemplate->add_option("-o,--output", exportOut, "template file (default: stdout)");

    std::string importFile, importOut;
    auto* importTemplate = app.add_subcommand(
        "import", "Turn an AWS SAM or CloudFormation template (YAML or JSON) into a design");
    importTemplate->add_option("TEMPLATE", importFile, "template file")->required();
    importTemplate->add_option("-o,--output", importOut, "design file (default: stdout)");

    CompareOptions compare;
    auto* compareRuns = app.add_subcommand(
        "compare", "Simulate two designs under the same seed and duration and compare them");
    compareRuns->add_option("A", compare.fileA, "first design")->required();
    compareRuns->add_option("B", compare.fileB, "second design")->required();
    compareRuns->add_option("--seed", compare.seed, "random seed for both (default: A's)");
    compareRuns->add_option("--duration", compare.duration,
                            "simulated seconds for both (default: A's)")
        ->check(CLI::PositiveNumber);
    compareRuns->add_option("--json", compare.jsonOut,
                            "write both results, the costs and the table to OUT (- = stdout)");

    ReportOptions reportOptions;
    auto* makeReport = app.add_subcommand(
        "report", "Simulate a design and write its report (design, charts, tables, cost)");
    makeReport->add_option("FILE", reportOptions.file, "design file (.eventflow.json)")->required();
    makeReport->add_option("-o,--output", reportOptions.out, "OUT.html or OUT.pdf")->required();
    makeReport->add_option("--seed", reportOptions.seed, "random seed (overrides the design)");
    makeReport->add_option("--duration", reportOptions.duration,
                           "simulated seconds (overrides the design)")
        ->check(CLI::PositiveNumber);

    auto* reference = app.add_subcommand(
        "reference", "Print the reference of every component, connection and parameter (Markdown)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUnreadable;
    }
    if (validate->parsed())
        return validateCommand(validateFile);
    if (simulate->parsed())
        return simulateCommand(sim);
    if (exportTemplate->parsed())
        return exportCommand(exportFile, exportFormat, exportSyntax, exportOut);
    if (importTemplate->parsed())
        return importCommand(importFile, importOut);
    if (testPattern->parsed())
        return testPatternCommand(patternFile, eventFile);
    if (compareRuns->parsed())
        return compareCommand(compare);
    if (makeReport->parsed())
        return reportCommand(reportOptions, argc, argv);
    if (reference->parsed()) {
        std::cout << model::catalogReferenceMarkdown();
        return kExitOk;
    }
    return kExitUnreadable;
}
