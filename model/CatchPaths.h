#pragma once

#include "Design.h"

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace eventflow::model {

/// Where the catchers of one state machine's Tasks (its outgoing `invoke` connections) send a
/// caught error, and which of those Tasks are catch paths: Tasks with `sim.catch_only` set, which
/// run only when a catcher sends the execution to them (a saga's compensation step) and then end
/// it. A catcher's `Next` names a Task by its state name — the one it had in an imported
/// definition (props.TemplateOrigin.State) or the one the template export gives it — else by the
/// id of the component it invokes, preferring a catch-only Task when several invoke that
/// component; "Done" names the end of the execution. The simulation, the template export, the
/// validator and the design advice read catchers and catch paths through this class so that all
/// of them agree.
///
/// Holds a reference to the design, which must outlive it. Built in O(components + connections +
/// states of an imported definition); the first constructor also assigns logical ids.
class CatchPaths {
public:
    /// What a catcher's `Next` leads to.
    enum class Kind {
        NextStep,        ///< no Next: the execution goes on with the step after the Task's
        End,             ///< "Done": the execution ends successfully, without its Send hand-overs
        Task,            ///< a Task of this machine: `connection`
        DefinitionState, ///< another state of the machine's imported definition (not modelled)
        Unknown,         ///< a name that is none of the above
    };
    struct Target {
        Kind kind = Kind::NextStep;
        std::size_t connection = 0; ///< into Design::connections, for Kind::Task
    };

    /// State names as TemplateExporter::taskStateNames() gives them.
    CatchPaths(const Design& design, std::size_t machine);
    /// `stateNames`: the exporter's state name of each Task, by connection (the exporter passes
    /// its own so that no logical ids are assigned twice).
    CatchPaths(const Design& design, std::size_t machine,
               std::map<std::size_t, std::string> stateNames);

    /// Whether a connection is marked catch-only (`sim.catch_only`); meaningful for a state
    /// machine's invoke connections.
    static bool isCatchOnly(const Connection& connection);

    /// Where a catcher whose `Next` is `next` (null: absent) sends the execution.
    Target resolve(const nlohmann::json& next) const;
    /// Whether the connection is a catch-only Task of this state machine.
    bool contains(std::size_t connection) const;
    bool empty() const { return m_paths.empty(); }
    /// The machine's invoke connections, in file order.
    const std::vector<std::size_t>& tasks() const { return m_tasks; }

private:
    const Design& m_design;
    std::map<std::size_t, std::string> m_stateNames;
    std::vector<std::size_t> m_tasks;
    std::vector<std::size_t> m_paths;         ///< the catch-only Tasks, ascending
    std::set<std::string> m_definitionStates; ///< every state name of an imported definition
};

} // namespace eventflow::model
