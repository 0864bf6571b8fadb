using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;

namespace MarginGrid.Grid.Tests.Contract;

/// <summary>
/// The committed contract: the OpenAPI document (docs/openapi.json) and the C# client generated from it. With
/// MARGINGRID_UPDATE_CONTRACT=1 the tests rewrite both instead of failing, to be reviewed as a diff.
/// </summary>
public static class ContractFiles
{
    public const string ClientNamespace = "MarginGrid.Grid.Tests.Contract.Generated";

    public const string ClientClass = "GridApiClient";

    public static bool Updating => Environment.GetEnvironmentVariable("MARGINGRID_UPDATE_CONTRACT") == "1";

    /// <summary>One spelling of a JSON document (indented, "\n", non-ASCII kept), so a comparison sees content only.</summary>
    public static string Normalize(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";

    /// <summary>The client NSwag generates from a document: System.Text.Json, one class with a method per operation.</summary>
    public static async Task<string> GenerateClient(string openApiJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(openApiJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = ClientClass,
            GenerateClientInterfaces = false,
            UseBaseUrl = false,
            OperationNameGenerator = new NSwag.CodeGeneration.OperationNameGenerators.SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings =
            {
                Namespace = ClientNamespace,
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = false,
            },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile().ReplaceLineEndings("\n");
    }
}
