using System.Diagnostics;

namespace MarginGrid.Monitoring.Tests.Support;

/// <summary>
/// External programs the monitoring checks need (promtool, prometheus, node, npm). A missing Prometheus is
/// installed with apt when the tests run as root (as in CI); otherwise the test fails saying what to install.
/// </summary>
public static class Tool
{
    private static readonly Lock InstallGate = new();

    public static string Find(string name)
    {
        if (Locate(name) is { } found)
        {
            return found;
        }

        if (name is "promtool" or "prometheus")
        {
            lock (InstallGate)
            {
                if (Locate(name) is null && Environment.UserName == "root")
                {
                    Run("apt-get", ["install", "-y", "-q", "prometheus"], Environment.CurrentDirectory, TimeSpan.FromMinutes(10));
                }
            }
        }

        return Locate(name) ?? throw new InvalidOperationException($"'{name}' is not installed (Debian: apt-get install -y {(name is "node" or "npm" ? "nodejs npm" : "prometheus")}).");
    }

    /// <summary>Runs a program to completion; returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, string? stdin = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, output.Result + error.Result);
    }

    private static string? Locate(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
