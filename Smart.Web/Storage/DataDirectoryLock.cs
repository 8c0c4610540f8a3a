namespace Smart.Web.Storage;

/// <summary>
/// Held while the app has its store open: LiteDB's direct mode does not stop a second process opening the same file, and two writers
/// would corrupt it. A second instance on the same data directory stops at start-up with this message instead.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "smart.lock";
    private readonly FileStream file;

    public DataDirectoryLock(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        file = new FileStream(Path.Combine(dataDirectory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            // macOS has no byte-range lock in .NET: there the guard is left out.
            if (!OperatingSystem.IsMacOS()) file.Lock(0, 1);
        }
        catch (IOException e)
        {
            file.Dispose();
            throw new InvalidOperationException($"Another Smart.Web instance uses the data directory {dataDirectory}: give each instance its own (Smart:DataDirectory).", e);
        }
    }

    public void Dispose() => file.Dispose();
}
