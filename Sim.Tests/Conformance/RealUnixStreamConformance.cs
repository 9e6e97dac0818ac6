using System.Globalization;
using Sim.Core;

namespace Sim.Tests.Conformance;

/// <summary>
/// The Unix-domain stream suite on a real backend: socket files go in a directory of the
/// system's temporary folder named after the process, the backend and the test (FNV-1a of its
/// name, short enough for sun_path), created before the test and removed after it.
/// </summary>
public abstract class RealUnixStreamConformance : UnixStreamConformance
{
    /// <summary>A short name for the backend, part of the directory's name.</summary>
    protected abstract string BackendTag { get; }

    protected override string DirectoryFor(string test) =>
        Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"simloop-{Environment.ProcessId}-{BackendTag}-{Fnv1a(test):x8}"));

    protected override void CreateDirectory(string directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
    }

    protected override void RemoveDirectory(string directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    protected override bool FileExists(EventLoop loop, string path) => File.Exists(path);

    protected override void CreatePlainFile(EventLoop loop, string path) => File.WriteAllBytes(path, []);

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash;
    }
}
