#include "SimulationRunner.h"

#include "model/Validator.h"
#include "sim/Engine.h"

#include <QMetaObject>

#include <atomic>
#include <QTimer>

#include <algorithm>

namespace eventflow::studio {

namespace {
constexpr int kTickMs = 15;          // how often the worker advances the clock
constexpr qint64 kSnapshotMs = 50;   // at most 20 pictures a second
constexpr qint64 kBudgetMs = 12;     // wall time one tick may spend simulating
} // namespace

/// Lives in the worker thread: owns the design copy and the engine, paces the run.
class SimulationRunner::Worker : public QObject {
    Q_OBJECT
public:
    Worker()
        : m_tick(new QTimer(this))
    {
        m_tick->setInterval(kTickMs);
        connect(m_tick, &QTimer::timeout, this, &Worker::advance);
    }

    void start(model::Design design, double speed, std::optional<double> pauseAt,
               quint64 generation)
    {
        stop();
        m_pauseAt = pauseAt ? std::optional(sim::fromSeconds(*pauseAt)) : std::nullopt;
        m_generation = generation;
        m_design = std::make_unique<model::Design>(std::move(design));
        const auto problems = model::Validator::validate(*m_design);
        if (model::hasErrors(problems)) {
            QString message;
            for (const auto& d : problems)
                if (d.severity == model::Severity::Error)
                    message += QString::fromStdString(d.pointer + ": " + d.message) + "\n";
            Q_EMIT failed(message.trimmed(), generation);
            return;
        }
        m_engine = std::make_unique<sim::Engine>(*m_design);
        m_speed = speed;
        m_simulatedAtAnchor = 0;
        m_wall.start();
        m_lastSnapshot.start();
        m_paused = false;
        m_tick->start();
    }

    void setSpeed(double speed)
    {
        reanchor();
        m_speed = speed;
    }

    void pause()
    {
        if (!m_engine || m_paused || m_engine->status() != sim::RunStatus::Running)
            return;
        m_paused = true;
        m_tick->stop();
        publish();
        Q_EMIT pausedHere(m_generation);
    }

    void resume()
    {
        if (!m_engine || m_engine->status() != sim::RunStatus::Running)
            return;
        m_paused = false;
        reanchor();
        m_tick->start();
    }

    void step()
    {
        if (!m_engine || m_engine->status() != sim::RunStatus::Running)
            return;
        m_paused = true;
        m_tick->stop();
        const sim::SimTime interval = sim::fromSeconds(m_design->simulation.sampleIntervalSeconds);
        m_engine->runUntil(m_engine->now() + interval);
        publish();
        finishIfDone();
    }

    void cancel()
    {
        if (!m_engine || m_engine->status() != sim::RunStatus::Running)
            return; // finished already: the results stay as they are
        m_engine->cancel();
        m_tick->stop();
        publish(QStringLiteral("cancelled"));
        m_engine.reset();
        Q_EMIT ended(State::Cancelled, m_generation);
    }

    void stop()
    {
        m_tick->stop();
        m_engine.reset();
        m_design.reset();
    }

Q_SIGNALS:
    void snapshot(const eventflow::studio::ResultsSnapshot& results, quint64 generation);
    void ended(eventflow::studio::SimulationRunner::State state, quint64 generation);
    void failed(const QString& message, quint64 generation);
    void pausedHere(quint64 generation);

private:
    bool pauseReached() const { return m_pauseAt && m_engine->now() >= *m_pauseAt; }
    sim::SimTime capped(sim::SimTime t) const { return m_pauseAt ? std::min(t, *m_pauseAt) : t; }

    void reanchor()
    {
        if (!m_engine)
            return;
        m_simulatedAtAnchor = m_engine->now();
        m_wall.restart();
    }

    void advance()
    {
        if (!m_engine)
            return;
        QElapsedTimer budget;
        budget.start();
        if (m_speed <= 0) {
            // As fast as possible: whole sample intervals until this tick's budget is spent.
            const sim::SimTime interval =
                sim::fromSeconds(m_design->simulation.sampleIntervalSeconds);
            while (budget.elapsed() < kBudgetMs && !pauseReached() &&
                   m_engine->runUntil(capped(m_engine->now() + interval)) ==
                       sim::RunStatus::Running) {
            }
        } else {
            // Towards where the wall clock says the run should be, in sample intervals and
            // within this tick's budget, so pause and cancel are heard within a tick.
            const sim::SimTime target = capped(std::min(
                m_simulatedAtAnchor + sim::fromSeconds(m_speed * double(m_wall.elapsed()) / 1000.0),
                m_engine->endTime()));
            const sim::SimTime interval =
                sim::fromSeconds(m_design->simulation.sampleIntervalSeconds);
            while (m_engine->now() < target && budget.elapsed() < kBudgetMs &&
                   m_engine->runUntil(std::min(target, m_engine->now() + interval)) ==
                       sim::RunStatus::Running) {
            }
            // A design too heavy for the speed asked for runs as fast as it can, without
            // building a debt it would then try to catch up.
            if (m_engine->now() < target)
                reanchor();
        }
        if (pauseReached() && m_engine->status() == sim::RunStatus::Running) {
            m_pauseAt.reset();
            pause();
            Q_EMIT ended(State::Paused, m_generation);
            return;
        }
        // A new picture only once the window has taken the last one: a busy window never
        // builds a queue of stale snapshots (each a copy of every time series).
        if (m_lastSnapshot.elapsed() >= kSnapshotMs && m_taken.load()) {
            publish();
            m_lastSnapshot.restart();
        }
        finishIfDone();
    }

    void finishIfDone()
    {
        if (!m_engine || m_engine->status() == sim::RunStatus::Running)
            return;
        m_tick->stop();
        publish();
        const bool runaway = m_engine->status() == sim::RunStatus::Runaway;
        Q_EMIT ended(runaway ? State::Failed : State::Finished, m_generation);
    }

    void publish(const QString& status = QString())
    {
        m_taken.store(false);
        auto results = std::make_shared<sim::SimulationResults>(m_engine->results());
        if (!status.isEmpty())
            results->status = status.toStdString();
        Q_EMIT snapshot(results, m_generation);
    }

public:
    /// The GUI thread sets it when it has taken the latest snapshot.
    void snapshotTaken() { m_taken.store(true); }

private:
    std::atomic<bool> m_taken{true};
    QTimer* m_tick;
    std::unique_ptr<model::Design> m_design; // the engine keeps a reference: it outlives it
    std::unique_ptr<sim::Engine> m_engine;
    double m_speed = 1.0;
    sim::SimTime m_simulatedAtAnchor = 0;
    QElapsedTimer m_wall;
    QElapsedTimer m_lastSnapshot;
    bool m_paused = false;
    std::optional<sim::SimTime> m_pauseAt;
    quint64 m_generation = 0;
};

SimulationRunner::SimulationRunner(QObject* parent)
    : QObject(parent)
    , m_worker(new Worker)
{
    qRegisterMetaType<ResultsSnapshot>();
    qRegisterMetaType<State>();
    m_thread.setObjectName(QStringLiteral("simulation"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &Worker::snapshot, this,
            [this](const ResultsSnapshot& results, quint64 generation) {
                if (generation == m_generation) { // else from a run replaced or reset
                    m_latest = results;
                    Q_EMIT snapshot(results);
                }
                m_worker->snapshotTaken();
            });
    connect(m_worker, &Worker::ended, this, [this](State state, quint64 generation) {
        if (generation == m_generation)
            setState(state);
    });
    connect(m_worker, &Worker::pausedHere, this, [this](quint64 generation) {
        if (generation == m_generation)
            Q_EMIT paused();
    });
    connect(m_worker, &Worker::failed, this, [this](const QString& message, quint64 generation) {
        if (generation != m_generation)
            return;
        setState(State::Failed);
        Q_EMIT failed(message);
    });
    m_thread.start();
}

SimulationRunner::~SimulationRunner()
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->stop(); },
                              Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void SimulationRunner::start(const model::Design& design, double speed,
                             std::optional<double> pauseAt)
{
    const quint64 generation = ++m_generation;
    m_latest.reset();
    setState(State::Running);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, design, speed, pauseAt, generation] {
        worker->start(design, speed, pauseAt, generation);
    });
}

void SimulationRunner::pause()
{
    if (m_state != State::Running)
        return;
    setState(State::Paused);
    QMetaObject::invokeMethod(m_worker, &Worker::pause);
}

void SimulationRunner::resume()
{
    if (m_state != State::Paused)
        return;
    setState(State::Running);
    QMetaObject::invokeMethod(m_worker, &Worker::resume);
}

void SimulationRunner::step()
{
    if (m_state != State::Paused && m_state != State::Running)
        return;
    setState(State::Paused);
    QMetaObject::invokeMethod(m_worker, &Worker::step);
}

void SimulationRunner::cancel()
{
    if (m_state != State::Running && m_state != State::Paused)
        return;
    QMetaObject::invokeMethod(m_worker, &Worker::cancel);
}

void SimulationRunner::reset()
{
    ++m_generation;
    m_latest.reset();
    QMetaObject::invokeMethod(m_worker, &Worker::stop);
    setState(State::Idle);
}

void SimulationRunner::setSpeed(double speed)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, speed] { worker->setSpeed(speed); });
}

void SimulationRunner::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace eventflow::studio

#include "SimulationRunner.moc"
