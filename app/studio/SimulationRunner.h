#pragma once

#include "model/Design.h"
#include "sim/SimulationResults.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>

#include <memory>
#include <optional>

class QTimer;

namespace eventflow::sim {
class Engine;
}

namespace eventflow::studio {

using ResultsSnapshot = std::shared_ptr<const sim::SimulationResults>;

/// Runs a design's simulation on its own worker thread so the window never waits for it.
/// The engine advances in small steps paced against the wall clock (×1 is real time, ×1000 a
/// thousand simulated seconds per second, 0 as fast as possible), and a snapshot of the
/// results goes to the GUI at most every 50 ms of wall time and at every pause and end.
/// A run is a pure function of (design, seed): the same seed gives the same pictures.
///
/// Every public function is called from the GUI thread; they post to the worker and return
/// at once. Signals arrive in the GUI thread.
class SimulationRunner : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Finished, Cancelled, Failed };
    Q_ENUM(State)

    explicit SimulationRunner(QObject* parent = nullptr);
    ~SimulationRunner() override;

    /// Starts a run of `design` (copied) from time 0, replacing any run in progress. With
    /// `pauseAt` the run pauses when the simulated clock reaches it.
    void start(const model::Design& design, double speed,
               std::optional<double> pauseAt = std::nullopt);
    void pause();
    void resume();
    /// Advances one sample interval and pauses.
    void step();
    /// Stops the run; the last snapshot stays. Safe at any time.
    void cancel();
    /// Forgets the run (an edit makes it stale).
    void reset();
    /// Simulated seconds per wall second; 0 for as fast as possible.
    void setSpeed(double speed);

    State state() const { return m_state; }
    /// The latest snapshot received, or null before the first.
    const ResultsSnapshot& latest() const { return m_latest; }

Q_SIGNALS:
    void snapshot(const eventflow::studio::ResultsSnapshot& results);
    void stateChanged(eventflow::studio::SimulationRunner::State state);
    /// The worker has stopped the clock; the snapshot of that moment has arrived.
    void paused();
    /// A design the engine refused (the validator's errors): the message says why.
    void failed(const QString& message);

private:
    class Worker;
    void setState(State state);

    QThread m_thread;
    Worker* m_worker;
    State m_state = State::Idle;
    ResultsSnapshot m_latest;
    quint64 m_generation = 0; ///< snapshots of an older run are dropped
};

} // namespace eventflow::studio

Q_DECLARE_METATYPE(eventflow::studio::ResultsSnapshot)
