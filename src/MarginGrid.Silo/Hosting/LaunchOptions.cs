namespace MarginGrid.Silo.Hosting;

/// <summary>
/// The silo's own flags, taken out of the arguments before ASP.NET Core reads them (it would read a bare
/// <c>--demo</c> followed by <c>--urls X</c> as <c>demo = --urls</c>).
/// </summary>
public sealed record LaunchOptions(bool Demo, string[] HostArgs)
{
    public static LaunchOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var demo = args.Contains("--demo", StringComparer.Ordinal);
        return new LaunchOptions(demo, [.. args.Where(a => a != "--demo")]);
    }
}
