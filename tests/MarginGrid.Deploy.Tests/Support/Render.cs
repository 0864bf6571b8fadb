namespace MarginGrid.Deploy.Tests.Support;

/// <summary>The deployment files as the tools see them: `kubectl kustomize` and `docker-compose config` outputs, saved for the validator.</summary>
public static class Render
{
    /// <summary>Renders a kustomization folder (absolute, or relative to the repository root) into a file of the scratch folder.</summary>
    public static string Kustomize(Scratch scratch, string folder)
    {
        var rendered = scratch.File($"{Path.GetFileName(folder)}-{Guid.NewGuid():N}.yaml");
        var (exitCode, output) = Run(DeployTools.Kubectl(), ["kustomize", folder, "--output", rendered]);
        Assert.True(exitCode == 0 && File.Exists(rendered), $"kubectl kustomize {folder} failed:\n{output}");
        return rendered;
    }

    /// <summary>
    /// `docker-compose config` of the stack with extra override files, saved into the scratch folder. Its warnings
    /// would land in the file too (the output mixes both streams) and fail the parse: the stack must render without any.
    /// </summary>
    public static string Compose(Scratch scratch, params string[] overrides)
    {
        var (exitCode, output) = DockerCompose([.. overrides.SelectMany(file => new[] { "-f", file }), "config"]);
        Assert.True(exitCode == 0, $"docker-compose config failed:\n{output}");
        return scratch.Write($"compose-{Guid.NewGuid():N}.yaml", output);
    }

    public static string ComposeFile { get; } = RepoPaths.Of("deploy", "compose", "compose.yaml");

    /// <summary>Runs docker-compose on the stack's file (`-f deploy/compose/compose.yaml`) followed by <paramref name="arguments"/>.</summary>
    public static (int ExitCode, string Output) DockerCompose(IEnumerable<string> arguments) =>
        Run(DeployTools.Require("docker-compose"), ["-f", ComposeFile, .. arguments]);

    private static (int ExitCode, string Output) Run(string tool, IEnumerable<string> arguments) =>
        Tool.Run(tool, arguments, RepoPaths.Root, TimeSpan.FromMinutes(1));
}
