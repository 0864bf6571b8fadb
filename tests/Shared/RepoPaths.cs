namespace MarginGrid.Tests.Shared;

/// <summary>Paths in the checkout, found from the test assembly (the folder holding MarginGrid.sln).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The silo built in the same configuration as these tests.</summary>
    public static string SiloDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var dll = Of("src", "MarginGrid.Silo", "bin", configuration, "net10.0", "MarginGrid.Silo.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the silo first: {dll} is missing.");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MarginGrid.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("MarginGrid.sln not found above the test assembly.");
    }
}
