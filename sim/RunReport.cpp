#include "RunReport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <locale>
#include <map>
#include <sstream>

namespace eventflow::sim {

namespace {

std::string escape(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

/// Always with a '.': printf follows the C locale, which a GUI application sets to the user's
/// (a German one would write SVG points as "57,9").
std::string number(double value, int decimals = 1)
{
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

/// At most `maxBytes` of `text`, never cutting a UTF-8 character in two.
std::string clipped(const std::string& text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    std::size_t end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end; // back to the first byte of the character that would be cut
    return text.substr(0, end);
}

std::string grouped(double value)
{
    std::string digits = std::to_string(std::llround(value));
    const bool negative = !digits.empty() && digits[0] == '-';
    for (int i = int(digits.size()) - 3; i > (negative ? 1 : 0); i -= 3)
        digits.insert(std::size_t(i), ",");
    return digits;
}

/// The type colours of the designer (ComponentStyle), for the Qt-free picture.
const char* colourOf(model::ComponentType type)
{
    switch (type) {
    case model::ComponentType::Producer: return "#546E7A";
    case model::ComponentType::Api: return "#8C4FFF";
    case model::ComponentType::Service: return "#2E73B8";
    case model::ComponentType::Function: return "#DB6A00";
    case model::ComponentType::Queue: return "#E7157B";
    case model::ComponentType::Topic: return "#C7131F";
    case model::ComponentType::EventBus: return "#3F8624";
    case model::ComponentType::Rule: return "#A07800";
    case model::ComponentType::Stream: return "#019A82";
    case model::ComponentType::StateMachine: return "#B620C9";
    case model::ComponentType::Database: return "#3B48CC";
    }
    return "#888888";
}

const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                          "#9467bd", "#8c564b", "#e377c2", "#17becf"};

/// A line chart as an SVG document: time on x, one polyline per series, a legend.
std::string lineChart(const std::string& title, const std::string& unit,
                      const std::vector<double>& t,
                      const std::vector<std::pair<std::string, const std::vector<double>*>>& series,
                      double width, double height)
{
    const double left = 56, right = 12, top = 28, bottom = 44;
    const double plotW = width - left - right;
    const double plotH = height - top - bottom;
    double tMax = t.empty() ? 1.0 : std::max(1.0, t.back());
    double vMax = 0;
    for (const auto& [name, values] : series)
        for (double v : *values)
            vMax = std::max(vMax, v);
    if (vMax <= 0)
        vMax = 1;
    std::ostringstream svg;
    svg.imbue(std::locale::classic());
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\""
        << height << "\" viewBox=\"0 0 " << width << ' ' << height
        << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        << "<text x=\"" << width / 2 << "\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">"
        << escape(title) << (unit.empty() ? "" : " (" + escape(unit) + ")") << "</text>\n";
    for (int i = 0; i <= 4; ++i) {
        const double y = top + plotH - plotH * i / 4;
        svg << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << left + plotW
            << "\" y2=\"" << y << "\" stroke=\"#ddd\"/>\n"
            << "<text x=\"" << left - 4 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
            << grouped(vMax * i / 4) << "</text>\n";
        const double x = left + plotW * i / 4;
        svg << "<text x=\"" << x << "\" y=\"" << top + plotH + 14 << "\" text-anchor=\"middle\">"
            << grouped(tMax * i / 4) << " s</text>\n";
    }
    std::size_t colour = 0;
    double legendX = left;
    for (const auto& [name, values] : series) {
        const char* c = kPalette[colour++ % std::size(kPalette)];
        svg << "<polyline fill=\"none\" stroke=\"" << c << "\" stroke-width=\"1.5\" points=\"";
        for (std::size_t i = 0; i < t.size() && i < values->size(); ++i)
            svg << number(left + plotW * t[i] / tMax, 1) << ','
                << number(top + plotH - plotH * (*values)[i] / vMax, 1) << ' ';
        svg << "\"/>\n<rect x=\"" << legendX << "\" y=\"" << height - 16
            << "\" width=\"10\" height=\"10\" fill=\"" << c << "\"/>\n<text x=\"" << legendX + 14
            << "\" y=\"" << height - 7 << "\">" << escape(name) << "</text>\n";
        legendX += 24 + 6.5 * double(name.size());
    }
    svg << "</svg>\n";
    return svg.str();
}

const std::vector<double>& seriesOf(const SimulationResults& results, const std::string& id,
                                    const std::string& metric)
{
    static const std::vector<double> none;
    const auto c = results.timeseries.components.find(id);
    if (c == results.timeseries.components.end())
        return none;
    const auto s = c->second.find(metric);
    return s == c->second.end() ? none : s->second;
}

std::string base64(const std::string& bytes)
{
    static const char* table =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned n = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 |
                           (unsigned char)bytes[i + 2];
        out += table[n >> 18 & 63];
        out += table[n >> 12 & 63];
        out += table[n >> 6 & 63];
        out += table[n & 63];
    }
    if (i < bytes.size()) {
        unsigned n = (unsigned char)bytes[i] << 16;
        if (i + 1 < bytes.size())
            n |= (unsigned char)bytes[i + 1] << 8;
        out += table[n >> 18 & 63];
        out += table[n >> 12 & 63];
        out += i + 1 < bytes.size() ? table[n >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

} // namespace

std::string RunReport::designSvg(const model::Design& design, double& width, double& height)
{
    constexpr double kW = 184, kH = 60, kMargin = 30;
    double minX = 0, minY = 0, maxX = kW, maxY = kH;
    if (!design.components.empty()) {
        minX = minY = 1e18;
        maxX = maxY = -1e18;
        for (const auto& c : design.components) {
            minX = std::min(minX, c.position.x);
            minY = std::min(minY, c.position.y);
            maxX = std::max(maxX, c.position.x + kW);
            maxY = std::max(maxY, c.position.y + kH);
        }
    }
    width = maxX - minX + 2 * kMargin;
    height = maxY - minY + 2 * kMargin;
    const double dx = kMargin - minX;
    const double dy = kMargin - minY;
    std::ostringstream svg;
    svg.imbue(std::locale::classic());
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\""
        << height << "\" viewBox=\"0 0 " << width << ' ' << height
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    for (const auto& link : design.connections) {
        const auto* from = design.findComponent(link.from);
        const auto* to = design.findComponent(link.to);
        if (!from || !to)
            continue;
        const double x1 = from->position.x + dx + kW, y1 = from->position.y + dy + kH / 2;
        const double x2 = to->position.x + dx, y2 = to->position.y + dy + kH / 2;
        const double bend = std::max(40.0, std::abs(x2 - x1) / 2);
        const bool sync = link.kind == model::ConnectionKind::Invoke;
        const bool failure = link.kind == model::ConnectionKind::DeadLetter ||
                             link.kind == model::ConnectionKind::OnFailure;
        svg << "<path d=\"M" << x1 << ',' << y1 << " C" << x1 + bend << ',' << y1 << ' '
            << x2 - bend << ',' << y2 << ' ' << x2 << ',' << y2 << "\" fill=\"none\" stroke=\""
            << (failure ? "#d13b3b" : "#555") << "\" stroke-width=\"" << (sync ? 2.4 : 1.6)
            << '"' << (sync ? "" : " stroke-dasharray=\"6 4\"") << "/>\n"
            << "<circle cx=\"" << x2 << "\" cy=\"" << y2 << "\" r=\"3\" fill=\"#555\"/>\n";
    }
    for (const auto& c : design.components) {
        const double x = c.position.x + dx, y = c.position.y + dy;
        const char* colour = colourOf(c.type);
        svg << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << kW << "\" height=\"" << kH
            << "\" rx=\"8\" fill=\"white\" stroke=\"" << colour << "\" stroke-width=\"1.6\"/>\n"
            << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"12\" height=\"" << kH
            << "\" rx=\"4\" fill=\"" << colour << "\"/>\n"
            << "<text x=\"" << x + 20 << "\" y=\"" << y + 25 << "\" font-weight=\"bold\">"
            << escape(clipped(c.label.empty() ? c.id : c.label, 24)) << "</text>\n"
            << "<text x=\"" << x + 20 << "\" y=\"" << y + 44 << "\" fill=\"#666\" font-size=\"10\">"
            << escape(std::string(model::componentTypeTitle(c.type)) + " · " + c.id) << "</text>\n";
    }
    svg << "</svg>\n";
    return svg.str();
}

RunReport RunReport::build(const model::Design& design, const SimulationResults& results)
{
    RunReport report;
    const CostEstimate cost = CostEstimate::of(design, results);
    std::ostringstream html;
    html.imbue(std::locale::classic());
    auto figure = [&](std::string svg, double w, double h) {
        const std::string name = "figure-" + std::to_string(report.m_figures.size() + 1) + ".svg";
        report.m_figures.push_back({name, std::move(svg), w, h});
        html << "<p><img src=\"" << name << "\" width=\"" << std::lround(w) << "\" height=\""
             << std::lround(h) << "\"></p>\n";
    };
    const auto& s = results.summary;
    html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
         << escape(design.name) << " — EventFlow report</title>\n<style>"
         << "body{font-family:sans-serif;margin:24px;color:#222}"
         << "table{border-collapse:collapse;margin:8px 0}"
         << "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right;font-size:9pt}"
         << "td:first-child,th:first-child{text-align:left}th{background:#f0f0f0}"
         << "</style></head><body>\n<h1>" << escape(design.name) << "</h1>\n<p>"
         << escape(design.description) << "</p>\n<p>Seed " << results.seed << ", "
         << number(results.simulatedSeconds, 0) << " s simulated (warm-up "
         << number(results.warmupSeconds, 0) << " s), " << grouped(double(results.events))
         << " events, status " << escape(results.status) << ".</p>\n";

    html << "<h2>Design</h2>\n";
    double w = 0, h = 0;
    std::string picture = designSvg(design, w, h);
    // An A4 page holds about 680 px at 96 dpi within its margins.
    const double scale = std::min(1.0, 680.0 / w);
    figure(std::move(picture), w * scale, h * scale);
    html << "<table><tr><th>Component</th><th>Type</th><th>Settings</th></tr>\n";
    for (const auto& c : design.components) {
        std::string settings;
        for (const auto* scope : {&c.props, &c.sim})
            if (scope->is_object() && !scope->empty())
                settings += (settings.empty() ? "" : " ") + scope->dump();
        html << "<tr><td>" << escape(c.id) << "</td><td>"
             << escape(std::string(model::componentTypeTitle(c.type))) << "</td><td>"
             << escape(clipped(settings, 300)) << "</td></tr>\n";
    }
    html << "</table>\n";
    if (!design.faults.empty()) {
        html << "<h2>Faults</h2>\n<table><tr><th>Component</th><th>Kind</th><th>From (s)</th>"
             << "<th>To (s)</th><th>Value</th></tr>\n";
        for (const auto& f : design.faults)
            html << "<tr><td>" << escape(f.component) << "</td><td>"
                 << model::faultKindName(f.kind) << "</td><td>" << number(f.startSeconds, 0)
                 << "</td><td>" << number(f.endSeconds, 0) << "</td><td>" << number(f.value, 2)
                 << "</td></tr>\n";
        html << "</table>\n";
    }

    html << "<h2>Summary</h2>\n<table><tr><th>Requests</th><th>Completed</th><th>Failed</th>"
         << "<th>Timed out</th><th>Throttled</th><th>Dead-lettered</th><th>In flight</th>"
         << "<th>p50 ms</th><th>p99 ms</th></tr>\n<tr><td>" << grouped(double(s.requests))
         << "</td><td>" << grouped(double(s.completed)) << "</td><td>" << grouped(double(s.failed))
         << "</td><td>" << grouped(double(s.timedOut)) << "</td><td>"
         << grouped(double(s.throttled)) << "</td><td>" << grouped(double(s.deadLettered))
         << "</td><td>" << grouped(double(s.inFlight)) << "</td><td>"
         << number(results.latency.p50) << "</td><td>" << number(results.latency.p99)
         << "</td></tr></table>\n";
    html << "<h2>Components</h2>\n<table><tr><th>Component</th><th>Received</th><th>Completed"
         << "</th><th>Failed</th><th>Throttled</th><th>Timed out</th><th>Dead-lettered</th>"
         << "<th>Max backlog</th><th>p50 ms</th><th>p99 ms</th></tr>\n";
    for (const auto& c : results.components)
        html << "<tr><td>" << escape(c.id) << "</td><td>" << grouped(double(c.received))
             << "</td><td>" << grouped(double(c.completed)) << "</td><td>"
             << grouped(double(c.failed)) << "</td><td>" << grouped(double(c.throttled))
             << "</td><td>" << grouped(double(c.timedOut)) << "</td><td>"
             << grouped(double(c.deadLettered)) << "</td><td>" << grouped(c.backlog.max)
             << "</td><td>" << number(c.latency.p50) << "</td><td>" << number(c.latency.p99)
             << "</td></tr>\n";
    html << "</table>\n";

    html << "<h2>Over time</h2>\n";
    const auto& t = results.timeseries.t;
    const auto& e2e = results.timeseries.endToEnd;
    auto endToEnd = [&](const char* name) -> const std::vector<double>* {
        static const std::vector<double> none;
        const auto it = e2e.find(name);
        return it == e2e.end() ? &none : &it->second;
    };
    figure(lineChart("End-to-end latency of completed requests", "ms", t,
                     {{"p50", endToEnd("p50_ms")}, {"p95", endToEnd("p95_ms")},
                      {"p99", endToEnd("p99_ms")}},
                     640, 240),
           640, 240);
    std::vector<std::pair<std::string, const std::vector<double>*>> throughput = {
        {"completed end to end", endToEnd("completed_per_s")}};
    std::vector<std::pair<std::string, const std::vector<double>*>> failures;
    std::vector<std::pair<std::string, const std::vector<double>*>> backlog;
    for (const auto& c : design.components) {
        if (c.type == model::ComponentType::Producer)
            throughput.push_back({c.id + " sent", &seriesOf(results, c.id, "received_per_s")});
        const auto& errors = seriesOf(results, c.id, "errors_per_s");
        if (std::any_of(errors.begin(), errors.end(), [](double v) { return v > 0; }) &&
            failures.size() < 8)
            failures.push_back({c.id, &errors});
        if ((c.type == model::ComponentType::Queue || c.type == model::ComponentType::Stream) &&
            backlog.size() < 8)
            backlog.push_back({c.id, &seriesOf(results, c.id, "backlog")});
    }
    figure(lineChart("Throughput", "per second", t, throughput, 640, 240), 640, 240);
    if (!failures.empty())
        figure(lineChart("Errors and timeouts", "per second", t, failures, 640, 240), 640, 240);
    if (!backlog.empty())
        figure(lineChart("Backlog", "messages", t, backlog, 640, 240), 640, 240);

    html << "<h2>Estimated monthly cost</h2>\n<p>The simulated volume scaled to 30 days at "
         << escape(CostEstimate::kPricesAsOf)
         << ", without free tiers, data transfer or storage: <b>$" << number(cost.monthlyUsd, 2)
         << "</b> a month.</p>\n<table><tr><th>Component</th><th>Service</th><th>Item</th>"
         << "<th>Per month</th><th>USD</th></tr>\n";
    for (const auto& line : cost.lines)
        html << "<tr><td>" << escape(line.component) << "</td><td>" << escape(line.service)
             << "</td><td>" << escape(line.item) << "</td><td>" << grouped(line.monthlyQuantity)
             << "</td><td>" << number(line.monthlyUsd, 2) << "</td></tr>\n";
    html << "</table>\n<p style=\"color:#888\">Made by EventFlow Studio.</p>\n</body></html>\n";
    report.m_html = html.str();
    return report;
}

std::string RunReport::selfContainedHtml() const
{
    std::string out = m_html;
    for (const auto& f : m_figures) {
        const std::string from = "src=\"" + f.name + "\"";
        const std::string to = "src=\"data:image/svg+xml;base64," + base64(f.svg) + "\"";
        for (std::size_t at = out.find(from); at != std::string::npos;
             at = out.find(from, at + to.size()))
            out.replace(at, from.size(), to);
    }
    return out;
}

} // namespace eventflow::sim
