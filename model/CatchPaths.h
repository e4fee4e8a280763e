#pragma once

#include "Design.h"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace eventflow::model {

/// The catch paths of one state machine: its Tasks (outgoing `invoke` connections) that a
/// catcher's `Next` names, which run only when an error is caught into them and then end the
/// execution (a Task with End: true), as a saga's compensation step does. A `Next` names a Task
/// by the id of the component it invokes, or by the state name it had in an imported definition
/// (its props' TemplateOrigin.State); any other `Next` names no Task, and a catcher with it lets
/// the execution go on with the next step. The simulation, the template export and the design
/// advice read catch paths through this class so that all three agree.
///
/// Holds a reference to the design, which must outlive it. Built in O(connections × catchers).
class CatchPaths {
public:
    CatchPaths(const Design& design, std::size_t machine);

    /// The connection (index into Design::connections) of the Task a catcher's `next` names (a
    /// catch path), or nullopt when it names none.
    std::optional<std::size_t> resolve(const nlohmann::json& next) const;
    /// Whether the connection is a catch-path Task of this state machine.
    bool contains(std::size_t connection) const;
    bool empty() const { return m_paths.empty(); }

private:
    const Design& m_design;
    std::vector<std::size_t> m_tasks; ///< the machine's invoke connections, in file order
    std::vector<std::size_t> m_paths; ///< those a catcher names, ascending
};

} // namespace eventflow::model
