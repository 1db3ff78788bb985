#include "html_report.hpp"

#include <fmt/format.h>

#include <map>

#include "latency_plot.hpp"
#include "outcome_colours.hpp"
#include "report_table.hpp"
#include "svg_chart.hpp"
#include "timeline.hpp"
#include "xml_text.hpp"

namespace platespin::bench {

namespace {

// Readable on a laptop (the plots shrink to the window), printable (no dark
// background, a run does not break across pages when it fits on one).
constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 1.5em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
h4 { margin: 1em 0 0.3em; }
p.meta, p.note { color: #555; }
p.note { font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.8em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.45em; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.fail td { background: #fde8e8; }
td.verdict.fail { color: #b00; font-weight: bold; }
svg { max-width: 100%; height: auto; display: block; }
.legend { font-size: 0.85em; margin: 0.2em 0; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; margin: 0 0.25em 0 0.8em; }
section.cell, figure { break-inside: avoid; page-break-inside: avoid; margin: 0.5em 0; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
@media print { body { max-width: none; margin: 0; } h2 { break-after: avoid; } details { display: block; } }
)";

std::string summary_table(const BenchResult& result) {
  std::string out = "<table class=\"summary\">\n<thead><tr>";
  for (const auto& column : summary_columns()) out += "<th>" + xml_escape(column.name) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : summary_rows(result)) {
    out += row.pass ? "<tr>" : "<tr class=\"fail\">";
    for (std::size_t k = 0; k < row.fields.size(); ++k)
      out += fmt::format("<td{}>{}</td>", summary_columns()[k].right_aligned ? " class=\"num\"" : "",
                         xml_escape(row.fields[k]));
    out += row.pass ? "<td class=\"verdict\">pass</td>"
                    : "<td class=\"verdict fail\">FAIL " + xml_escape(row.failures) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

// The outcomes of a run with their colours and counts, in the bars' colours.
std::string legend(const ClientResult& run) {
  std::map<std::string, std::pair<std::string, std::size_t>> seen;  // label -> colour, count
  for (const auto& item : run.items) {
    const OutcomeStyle style = outcome_style(item);
    auto& entry = seen[style.label];
    entry.first = style.colour;
    ++entry.second;
  }
  std::string out = "<p class=\"legend\">";
  for (const auto& [label, entry] : seen)
    out += fmt::format("<span class=\"swatch\" style=\"background: {}\"></span>{} {}", entry.first, xml_escape(label),
                       entry.second);
  out += "</p>\n";
  return out;
}

std::string cell_section(const Cell& cell) {
  std::string out = fmt::format("<section class=\"cell\" data-cell=\"{}\">\n<h4>{} · {} via {} · c={}</h4>\n",
                                xml_escape(cell.key()), xml_escape(cell.run), xml_escape(cell.client),
                                xml_escape(cell.server_label), cell.concurrency);
  const Repetition* shown = nullptr;
  for (const auto& rep : cell.repetitions)
    if (rep.client && !shown) shown = &rep;
  if (!shown) {
    out += "<p class=\"note\">No timeline: no repetition of this cell produced a result";
    for (const auto& rep : cell.repetitions)
      if (!rep.failure.empty()) out += " (" + xml_escape(rep.failure) + ")";
    return out + ".</p>\n</section>\n";
  }
  const ClientResult& run = *shown->client;
  const auto timeline = make_timeline(run);
  if (!timeline)
    return out + "<p class=\"note\">No timeline: the items of this result have no <code>start_ms</code> "
                 "(a file from before it was recorded, or a client that does not write it).</p>\n</section>\n";
  out += legend(run);
  out += "<figure>\n" + timeline_svg(*timeline, cell.concurrency, shown->schedule) + "</figure>\n";
  if (cell.repetitions.size() > 1)
    out += fmt::format("<p class=\"note\">The first of {} repetitions.</p>\n", cell.repetitions.size());
  return out + "</section>\n";
}

std::string runs_sections(const BenchResult& result) {
  // The cells of a run, in the order the runs come.
  std::vector<std::pair<std::string, std::vector<const Cell*>>> runs;
  for (const auto& cell : result.cells) {
    if (runs.empty() || runs.back().first != cell.run) runs.push_back({cell.run, {}});
    runs.back().second.push_back(&cell);
  }
  std::string out;
  for (const auto& [name, cells] : runs) {
    out += fmt::format("<section class=\"run\">\n<h3>{}: {} via {}</h3>\n", xml_escape(name),
                       xml_escape(cells.front()->client), xml_escape(cells.front()->server_label));
    out += "<figure>\n" + latency_svg(cells) + "</figure>\n";
    for (const Cell* cell : cells) out += cell_section(*cell);
    out += "</section>\n";
  }
  return out;
}

std::string text_of(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string key_value_table(const nlohmann::json& object) {
  std::string out = "<table class=\"kv\">\n";
  if (object.is_object())
    for (const auto& [key, value] : object.items())
      out += "<tr><th>" + xml_escape(key) + "</th><td>" + xml_escape(text_of(value)) + "</td></tr>\n";
  return out + "</table>\n";
}

}  // namespace

std::string html_report(const BenchResult& result) {
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
      "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      "<title>flagbench: {0} ({1})</title>\n<style>{2}</style>\n</head>\n<body>\n"
      "<h1>flagbench: {0}</h1>\n<p class=\"meta\">{3} mode · {1} to {4} · {5}</p>\n",
      xml_escape(result.scenario), xml_escape(result.started_at), kStyle, xml_escape(result.mode),
      xml_escape(result.finished_at), result.pass ? "all expectations hold" : "<strong>some expectations FAILED</strong>");
  out += "<h2>Summary</h2>\n" + summary_table(result);
  out += "<p class=\"note\">" + xml_escape(kBoundNote) + "</p>\n";
  out += "<h2>Items per second</h2>\n<figure>\n" + svg_chart_element(result) + "</figure>\n";
  out += "<h2>Runs</h2>\n<p class=\"note\">Per run, the latency of every request of its cells; per cell, each "
         "request as a bar from its start to its end, one row per request in the order they started, coloured by "
         "outcome, under the count of requests in flight.</p>\n";
  out += runs_sections(result);
  out += "<h2>Machine and versions</h2>\n" + key_value_table(result.machine) + key_value_table(result.versions);
  out += fmt::format("<details>\n<summary>The scenario{}</summary>\n<pre>{}</pre>\n</details>\n",
                     result.scenario_file.empty() ? "" : ": " + xml_escape(result.scenario_file),
                     xml_escape(result.scenario_yaml));
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace platespin::bench
