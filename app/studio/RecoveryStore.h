#pragma once

#include <QLockFile>
#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eventflow::studio {

/// Autosaved work and its recovery after a crash. Every window owns one recovery file with a
/// unique name, guarded by a QLockFile while the window lives; several windows and instances
/// never touch each other's files. A file whose lock nobody holds — its owner crashed, or went
/// without cleaning up — is an orphan, offered back at the next start.
class RecoveryStore {
public:
    struct Orphan {
        QString path;         ///< the autosaved design
        QString originalPath; ///< the file it was edited from; empty for a new design
    };

    RecoveryStore();
    ~RecoveryStore();

    /// Where recovery files live (the application's data location, "recovery").
    static QString directory();
    /// This window's recovery file.
    QString path() const { return m_path; }
    /// Writes the design text atomically, with the path it belongs to; false when it could not.
    bool write(const std::string& designText, const QString& originalPath);
    /// Removes this window's recovery file: the work is saved or deliberately discarded.
    void remove();

    /// Recovery files left behind by windows that are gone, most recent first.
    static std::vector<Orphan> orphans();
    /// Removes an orphan's files once it is recovered or declined.
    static void discard(const Orphan& orphan);

private:
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace eventflow::studio
