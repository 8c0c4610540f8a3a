namespace Smart.Web.Storage.Members;

/// <summary>The sectors Smart counts its members in (DOMAIN.md), by stable code; pages translate the codes.</summary>
public static class MemberSectors
{
    public const string VisualArtsAndCrafts = "visual-arts-crafts";
    public const string OtherTrades = "other-trades";
    public const string PerformingArtsAndLiterature = "performing-arts-literature";
    public const string ImageSoundAndStage = "image-sound-stage";
    public const string Music = "music";
    public const string TrainingAndTeaching = "training-teaching";
    public const string ArtisticCreationFunctions = "artistic-creation-functions";
    public const string Audiovisual = "audiovisual";
    public const string ItGraphicsLanguageAndWriting = "it-graphics-language-writing";
    public const string ArchitectureFashionAndDesign = "architecture-fashion-design";
    public const string WellBeingAndHealth = "well-being-health";
    public const string CostumesMakeUpAndSets = "costumes-makeup-sets";

    /// <summary>In DOMAIN.md's order, largest first.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        VisualArtsAndCrafts, OtherTrades, PerformingArtsAndLiterature, ImageSoundAndStage, Music, TrainingAndTeaching,
        ArtisticCreationFunctions, Audiovisual, ItGraphicsLanguageAndWriting, ArchitectureFashionAndDesign, WellBeingAndHealth, CostumesMakeUpAndSets,
    ];

    public static bool IsKnown(string? sector) => sector is not null && All.Contains(sector);
}
