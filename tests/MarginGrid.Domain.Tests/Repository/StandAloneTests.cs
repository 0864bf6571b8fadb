using System.Diagnostics;

namespace MarginGrid.Domain.Tests.Repository;

/// <summary>A fresh clone must build and test on its own: no tracked file may point at a folder beside the checkout.</summary>
public sealed class StandAloneTests
{
    // Built from parts so that this file does not match its own search.
    private static readonly string[] OutsideReferences =
    [
        "../" + "shared",
        "MARGINGRID_" + "SPEC_DIR",
        "shared/" + "spec",
        "shared/" + "notes",
    ];

    [Fact]
    public void No_tracked_file_refers_to_a_folder_outside_the_repository()
    {
        var args = new List<string> { "grep", "-n", "-I", "-F" };
        foreach (var needle in OutsideReferences)
        {
            args.Add("-e");
            args.Add(needle);
        }

        var (exitCode, output) = Git(args);

        // git grep exits 1 when nothing matches, 0 with the matches listed.
        Assert.True(exitCode == 1, $"git grep exited {exitCode}; files that refer outside the repository:\n{output}");
    }

    private static (int ExitCode, string Output) Git(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEndAsync();
        git.WaitForExit();
        return (git.ExitCode, output.Result + error.Result);
    }

    private static string RepositoryRoot()
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
