"""The catalogue's part for context layers (import-context) and offline tile packages.

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "ctx.kind_grans": "kommungräns",
        "ctx.kind_vatten": "vatten",
        "ctx.kind_vag": "vägar",
        "ctx.kind_bebyggelse": "bebyggelse",
        "ctx.expect_areas": "ytor (Polygon eller MultiPolygon)",
        "ctx.expect_any": "ytor eller linjer (Polygon, LineString och deras Multi-former)",
        "ctx.err_kind": "Okänt slag av kartunderlag: {kind}. Välj ett av {kinds}.",
        "ctx.err_geom_type": (
            "Objekt {feature} i {file} är av typen {geom_type}; ett lager med {kind} "
            "ska bara ha {expected}."
        ),
        "ctx.err_outside": (
            "Objekt {feature} i {file} ligger utanför Sverige; stämmer koordinatsystemet? "
            "Ange det med --crs, t.ex. --crs EPSG:3006."
        ),
        "ctx.err_no_places": (
            "Kommun {kommun} har inga platser ännu. Läs in platserna först "
            "(trygg import-places), så vet kartan var kommunen ligger."
        ),
        "ctx.err_nothing_near": (
            "Inget av de {count} objekten i {file} ligger inom {km} km från kommunens "
            "platser; är det rätt kommun och rätt koordinatsystem?"
        ),
        "ctx.err_vertices": (
            "Filen {file} har {vertices} hörnpunkter inom kommunen även efter förenklingen; "
            "ett kartunderlag får ha högst {max}, eftersom alla skickas med kartan. "
            "Välj ett lager med färre eller enklare objekt."
        ),
        "ctx.saved": (
            "Kartunderlaget {kind_label} sparat för kommun {kommun}: {features} objekt "
            "(batch {batch_id}); det ersätter {replaced} tidigare import(er)."
        ),
        "ctx.skipped": "{skipped} objekt utan geometri hoppades över.",
        "ctx.unchanged": (
            "Kartunderlaget {kind_label} för kommun {kommun} är redan inläst från samma fil "
            "(batch {batch_id}); inget ändrades."
        ),
        "ctx.demo_loaded": "Kartunderlag för {kod} {namn}: {kinds}.",
        "ctx.demo_no_land": (
            "Paketet world-atlas saknas ({path}); demokartorna får inget hav. "
            "Kör make setup (npm install)."
        ),
        "ctx.demo_note_grans": "Ungefärlig kommungräns (runt demoplatserna)",
        "ctx.demo_note_vatten": "Ungefärligt hav (Natural Earth)",
        "ctx.demo_note_vag": "Ungefärliga vägar (demo)",
        "ctx.demo_note_bebyggelse": "Ungefärlig bebyggelse (demo)",
        "ctx.err_tiles_missing": (
            "TRYGG_TILES anger tile-paketet {path}, men filen finns inte. Ange sökvägen "
            "till en .pmtiles- eller .mbtiles-fil, eller none."
        ),
        "ctx.err_tiles_large": (
            "Tile-paketet {file} är {size}; appen kan servera högst {max}. Dela upp det "
            "(t.ex. färre zoomnivåer) eller lägg det på en egen tile-server (TRYGG_TILES "
            "som URL-mall)."
        ),
        "ctx.err_mbtiles": "Tile-paketet {file} är ingen läsbar MBTiles-fil (SQLite med metadata och tiles).",
        "ctx.err_pmtiles_js": (
            "Skriptet för PMTiles saknas (node_modules/pmtiles); kör make setup "
            "(npm install) för att visa ett lokalt tile-paket."
        ),
        "ctx.tiles_attribution": "Lokalt tile-paket {file}",
        "ctx.tiles_label": "lokalt tile-paket ({file})",
        "cli.help_import_context": (
            "läs in kartunderlag under platserna (kommungräns, vatten, vägar, bebyggelse) "
            "från ett kartlager"
        ),
        "cli.opt_context_kind": "vad lagret visar: grans, vatten, vag eller bebyggelse",
        "cli.opt_context_source": "varifrån lagret kommer (visas på kartan)",
    },
    "en": {
        "ctx.kind_grans": "kommun boundary",
        "ctx.kind_vatten": "water",
        "ctx.kind_vag": "roads",
        "ctx.kind_bebyggelse": "buildings",
        "ctx.expect_areas": "areas (Polygon or MultiPolygon)",
        "ctx.expect_any": "areas or lines (Polygon, LineString and their Multi forms)",
        "ctx.err_kind": "Unknown kind of context layer: {kind}. Choose one of {kinds}.",
        "ctx.err_geom_type": (
            "Feature {feature} in {file} is a {geom_type}; a layer of {kind} may hold only "
            "{expected}."
        ),
        "ctx.err_outside": (
            "Feature {feature} in {file} lies outside Sweden; is the coordinate system "
            "right? Give it with --crs, e.g. --crs EPSG:3006."
        ),
        "ctx.err_no_places": (
            "Kommun {kommun} has no places yet. Import the places first "
            "(trygg import-places), so the map knows where the kommun lies."
        ),
        "ctx.err_nothing_near": (
            "None of the {count} features in {file} lies within {km} km of the kommun's "
            "places; is it the right kommun and coordinate system?"
        ),
        "ctx.err_vertices": (
            "The file {file} has {vertices} vertices within the kommun even after "
            "simplification; a context layer may have at most {max}, since all are sent "
            "with the map. Choose a layer with fewer or simpler features."
        ),
        "ctx.saved": (
            "The context layer {kind_label} saved for kommun {kommun}: {features} features "
            "(batch {batch_id}); it replaces {replaced} earlier import(s)."
        ),
        "ctx.skipped": "{skipped} features without geometry were skipped.",
        "ctx.unchanged": (
            "The context layer {kind_label} for kommun {kommun} is already loaded from the "
            "same file (batch {batch_id}); nothing changed."
        ),
        "ctx.demo_loaded": "Context for {kod} {namn}: {kinds}.",
        "ctx.demo_no_land": (
            "The world-atlas package is missing ({path}); the demo maps get no sea. "
            "Run make setup (npm install)."
        ),
        "ctx.demo_note_grans": "Approximate kommun outline (around the demo places)",
        "ctx.demo_note_vatten": "Approximate sea (Natural Earth)",
        "ctx.demo_note_vag": "Approximate roads (demo)",
        "ctx.demo_note_bebyggelse": "Approximate buildings (demo)",
        "ctx.err_tiles_missing": (
            "TRYGG_TILES names the tile package {path}, but the file does not exist. Give "
            "the path of a .pmtiles or .mbtiles file, or none."
        ),
        "ctx.err_tiles_large": (
            "The tile package {file} is {size}; the app can serve at most {max}. Split it "
            "(e.g. fewer zoom levels) or put it on a tile server of its own (TRYGG_TILES "
            "as a URL template)."
        ),
        "ctx.err_mbtiles": "The tile package {file} is no readable MBTiles file (SQLite with metadata and tiles).",
        "ctx.err_pmtiles_js": (
            "The PMTiles script is missing (node_modules/pmtiles); run make setup "
            "(npm install) to show a local tile package."
        ),
        "ctx.tiles_attribution": "Local tile package {file}",
        "ctx.tiles_label": "local tile package ({file})",
        "cli.help_import_context": (
            "read context beneath the places (kommun boundary, water, roads, buildings) "
            "from a map layer"
        ),
        "cli.opt_context_kind": "what the layer shows: grans, vatten, vag or bebyggelse",
        "cli.opt_context_source": "where the layer comes from (shown on the map)",
    },
}
