#include "RecoveryStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

namespace eventflow::studio {

namespace {

constexpr const char* kSuffix = ".eventflow.json";

QString lockPath(const QString& path)
{
    return path + QStringLiteral(".lock");
}

QString originPath(const QString& path)
{
    return path + QStringLiteral(".origin");
}

} // namespace

RecoveryStore::RecoveryStore()
    : m_path(directory() + QLatin1Char('/') +
             QUuid::createUuid().toString(QUuid::WithoutBraces) + QString::fromLatin1(kSuffix))
{
}

// The file stays: a window that goes without remove() (a crash, or a kill) leaves its work for
// the next start. Releasing the lock is what marks it as an orphan.
RecoveryStore::~RecoveryStore() = default;

QString RecoveryStore::directory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/recovery");
}

bool RecoveryStore::write(const std::string& designText, const QString& originalPath)
{
    if (!QDir().mkpath(directory()))
        return false;
    if (!m_lock) {
        m_lock = std::make_unique<QLockFile>(lockPath(m_path));
        m_lock->setStaleLockTime(0); // held for the window's life: only a dead owner is stale
        if (!m_lock->tryLock(0))
            return false;
    }
    QSaveFile origin(originPath(m_path));
    if (!origin.open(QIODevice::WriteOnly))
        return false;
    origin.write(originalPath.toUtf8());
    if (!origin.commit())
        return false;
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(designText.data(), qint64(designText.size()));
    return file.commit();
}

void RecoveryStore::remove()
{
    QFile::remove(m_path);
    QFile::remove(originPath(m_path));
    m_lock.reset(); // unlocks and deletes the lock file
}

std::vector<RecoveryStore::Orphan> RecoveryStore::orphans()
{
    std::vector<std::pair<QDateTime, Orphan>> found;
    const QDir dir(directory());
    for (const QFileInfo& info :
         dir.entryInfoList({QStringLiteral("*") + QString::fromLatin1(kSuffix)}, QDir::Files)) {
        QLockFile lock(lockPath(info.absoluteFilePath()));
        if (!lock.tryLock(0))
            continue; // a living window's
        lock.unlock();
        QFile origin(originPath(info.absoluteFilePath()));
        const QString originalPath =
            origin.open(QIODevice::ReadOnly) ? QString::fromUtf8(origin.readAll()) : QString();
        found.push_back({info.lastModified(), {info.absoluteFilePath(), originalPath}});
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<Orphan> result;
    for (auto& [_, orphan] : found)
        result.push_back(std::move(orphan));
    return result;
}

void RecoveryStore::discard(const Orphan& orphan)
{
    QFile::remove(orphan.path);
    QFile::remove(originPath(orphan.path));
    QFile::remove(lockPath(orphan.path));
}

} // namespace eventflow::studio
