namespace MarginGrid.Domain.Tests.Vectors;

public sealed class VectorFileTests
{
    [Fact]
    public void Every_section_of_the_vector_file_has_a_test()
    {
        var sections = VectorFile.Document.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.All(sections, s => Assert.Contains(s, VectorFile.KnownSections));
    }
}
