namespace MarginGrid.Domain.Tests.Support;

/// <summary>Finds the shared specification beside the checkout (../shared/spec), or where MARGINGRID_SPEC_DIR points.</summary>
public static class SpecFiles
{
    public static string Path(string fileName)
    {
        var configured = Environment.GetEnvironmentVariable("MARGINGRID_SPEC_DIR");
        if (!string.IsNullOrEmpty(configured))
        {
            return System.IO.Path.Combine(configured, fileName);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MarginGrid.sln")))
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "spec", fileName);
                if (File.Exists(candidate))
                {
                    return System.IO.Path.GetFullPath(candidate);
                }

                throw new FileNotFoundException($"The shared spec is expected at {candidate} (beside the checkout), or set MARGINGRID_SPEC_DIR.");
            }
        }

        throw new FileNotFoundException("MarginGrid.sln not found above the test assembly; set MARGINGRID_SPEC_DIR.");
    }
}
