using System.Text.Json;

namespace MarginGrid.Deploy.Tests.Support;

/// <summary>The offline validator in tests/deploy (Node.js); its packages are installed from the lockfile when missing or stale.</summary>
public static class DeployValidator
{
    private static readonly Lock Gate = new();
    private static bool s_installed;

    public static string Folder { get; } = RepoPaths.Of("tests", "deploy");

    public static void Install()
    {
        lock (Gate)
        {
            if (s_installed)
            {
                return;
            }

            var installed = new FileInfo(Path.Combine(Folder, "node_modules", ".package-lock.json"));
            var locked = new FileInfo(Path.Combine(Folder, "package-lock.json"));
            if (!installed.Exists || installed.LastWriteTimeUtc < locked.LastWriteTimeUtc)
            {
                var (exitCode, output) = Tool.Run(DeployTools.Require("npm"), ["ci", "--prefix", "tests/deploy", "--no-audit", "--no-fund"], RepoPaths.Root, TimeSpan.FromMinutes(5));
                Assert.True(exitCode == 0, output);
            }

            s_installed = true;
        }
    }

    /// <summary>Runs a script of tests/deploy with node, from the repository root.</summary>
    public static (int ExitCode, string Output) Node(params string[] arguments)
    {
        Install();
        return Tool.Run(DeployTools.Require("node"), arguments, RepoPaths.Root, TimeSpan.FromMinutes(2));
    }

    /// <summary>Runs validate-deploy.mjs on the given artifacts; the summary is what it checked, for the caller's own asserts.</summary>
    public static ValidationResult Validate(params string[] arguments)
    {
        using var scratch = new Scratch();
        var summaryFile = scratch.File("summary.json");
        var (exitCode, output) = Node(["tests/deploy/validate-deploy.mjs", .. arguments, "--summary-out", summaryFile]);
        var summary = File.Exists(summaryFile)
            ? JsonDocument.Parse(File.ReadAllText(summaryFile)).RootElement.EnumerateObject().Select(p => p.Value.Clone()).LastOrDefault()
            : default;
        return new ValidationResult(exitCode, output, summary);
    }
}
