namespace MarginGrid.Silo.Api;

/// <summary>Endpoint metadata: this route's body may be up to <see cref="ApiLimits.MaxLargeBodyBytes"/>, not the ordinary limit.</summary>
public sealed class LargeBody
{
    public static LargeBody Instance { get; } = new();
}
