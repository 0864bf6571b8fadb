using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarginGrid.Abstractions.Common;

/// <summary>
/// Lets the grid's own exceptions (a refusal of the rules, an unavailable ledger) cross the wire to a client
/// or another silo as themselves, with their message and data, instead of failing as a missing codec.
/// Silos and clients both need it.
/// </summary>
public static class GridExceptions
{
    public static IServiceCollection AddGridExceptions(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            if (!o.SupportedNamespacePrefixes.Contains("MarginGrid"))
            {
                o.SupportedNamespacePrefixes.Add("MarginGrid");
            }
        });
}
