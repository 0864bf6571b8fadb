namespace MarginGrid.Monitoring.Tests.Support;

/// <summary>The offline dashboard validator in tests/monitoring (Node.js), installed from its lockfile once per run.</summary>
public static class Validator
{
    private static readonly Lock Gate = new();
    private static bool s_installed;

    public static void Install()
    {
        lock (Gate)
        {
            if (s_installed)
            {
                return;
            }

            Tool.Find("promtool");
            var (exitCode, output) = Tool.Run(Tool.Find("npm"), ["ci", "--prefix", "tests/monitoring", "--no-audit", "--no-fund"], RepoPaths.Root, TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, output);
            s_installed = true;
        }
    }

    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments) =>
        Tool.Run(Tool.Find("node"), ["tests/monitoring/validate-dashboards.mjs", .. arguments], RepoPaths.Root, TimeSpan.FromMinutes(3));
}
