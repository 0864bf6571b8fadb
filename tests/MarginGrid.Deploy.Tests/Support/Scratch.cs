namespace MarginGrid.Deploy.Tests.Support;

/// <summary>A temporary folder for rendered manifests and broken copies, deleted with everything in it.</summary>
public sealed class Scratch : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("margingrid-deploy-").FullName;

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Writes a file below the folder (creating its own folder) and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean: a file still open must not fail the run.
        }
    }
}
