"""The catalogue of user-facing strings: Swedish first, English second.

Every message a person reads (CLI errors, dashboard labels) is looked up here with
:func:`t`, so the interface can be translated in one place.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        # Kommun and store
        "err.kommun_code": "Kommunkoden {code!r} är ogiltig: den ska vara fyra siffror, t.ex. 0683.",
        "err.kommun_unknown": "Kommunen {code} finns inte i databasen. Kända kommuner: {known}.",
        "err.db_unreadable": "Databasen {db} kunde inte öppnas: {reason}",
        "err.unexpected": "Ett oväntat fel inträffade ({kind}): {reason}. Inget sparades.",
        "err.file_missing": "Filen {path} finns inte.",
        "err.already_imported": (
            "Filen {file} är redan importerad (batch {batch_id}, samma innehåll). Inget nytt sparades."
        ),
        # Tables (CSV, Excel)
        "err.table_empty": "Filen {file} är tom.",
        "err.table_unreadable": (
            "Filen {file} kan inte läsas som en tabell (CSV, Excel eller ODS)."
        ),
        "err.table_no_rows": "Filen {file} har en rubrikrad men inga datarader.",
        "err.mapping_unreadable": "Mappningsfilen {file} kunde inte läsas: {reason}",
        "err.mapping_header_missing": (
            "Mappningen pekar {canonical} på rubriken {header!r}, som inte finns i filen. "
            "Rubriker i filen: {headers}."
        ),
        # Batches
        "err.batch_unknown": "Batch {id} finns inte; se trygg batches --kommun KOD.",
        "err.batch_not_rollbackable": (
            "Batch {id} är av typen {kind} och kan inte rullas tillbaka; läs in en ny fil "
            "i stället."
        ),
        # Surveys
        "err.survey_no_location": (
            "Filen {file} saknar platskolumn: ange Område/plats, lat+lon eller x+y, "
            "eller använd --kommun-wide för svar som gäller hela kommunen."
        ),
        "err.survey_no_year": (
            "Filen {file} saknar kolumnen År; ange året med --year, t.ex. --year 2024."
        ),
        "err.survey_no_places": (
            "Kommun {kommun} har inga platser ännu; läs in platser med import-places först."
        ),
        "err.results_no_area": (
            "Filen {file} saknar kolumnen för område (Område, Delområde eller plats)."
        ),
        "err.results_no_year": "Filen {file} saknar kolumnen År.",
        "err.results_no_values": (
            "Filen {file} har inga värdekolumner: ange Indikator och Värde, eller en kolumn "
            "per indikator."
        ),
        # Incidents and crime statistics
        "err.incidents_no_location": "Filen {file} saknar plats eller koordinater: ange lat+lon, x+y eller en platskolumn.",
        "err.incidents_no_date": "Filen {file} saknar kolumnen Datum (eller Month).",
        "err.crime_stats_columns": "Filen {file} behöver kolumnerna Område (eller Kommun), Period, Brottstyp och Antal eller Per 100 000.",
        "err.no_incidents": "Kommun {kommun} har inga händelser inlästa ännu; använd import-incidents.",
        "err.cell_size": "Rutstorleken {cell} går inte; ange ett antal meter större än 0, t.ex. --cell 100.",
        # Rows of imported tables
        "row.place_missing": "platsen saknas; förväntade ett platsnamn eller alias",
        "row.place_unknown_close": "okänd plats; menade du {close}?",
        "row.place_unknown": "okänd plats; kända platser: {known}",
        "row.coordinate": "koordinaten kan inte läsas; förväntade ett tal i {crs}",
        "row.outside_places": "punkten ligger utanför alla platser i kommunen",
        "row.answer": "svaret finns inte på skalan; förväntade {expected}",
        "row.weight": "vikten ska vara ett positivt tal (t.ex. 1,25)",
        "row.year": "året ska vara ett årtal, t.ex. 2024",
        "row.result_value": (
            "värdet ska vara ett tal (t.ex. 2,4 eller 35 %) eller en markering för saknat "
            "värde (XX, .., – eller Uppgift saknas)"
        ),
        "row.result_n": "antalet svar ska vara ett heltal ≥ 0",
        "row.date": "datumet kan inte läsas; förväntade t.ex. 2024-03-15 eller 2024-03-15 21:40",
        "row.count": "antal ska vara ett heltal ≥ 1",
        "row.period": "perioden ska börja med ett årtal, t.ex. 2024 eller 2024 kv1",
        "row.crime_value": "värdet ska vara ett tal ≥ 0 eller en markering för saknat värde (XX, .., –)",
        "row.preliminary": "ska vara preliminär eller slutlig",
        # Places
        "err.places_unreadable": "Filen {file} kunde inte läsas som ett kartlager: {reason}",
        "err.places_layer": "Lagret {layer!r} finns inte i {file}. Lager i filen: {layers}.",
        "err.places_layers_many": (
            "Filen {file} har flera lager ({layers}); välj ett med --layer."
        ),
        "err.places_no_crs": (
            "Lagret i {file} saknar koordinatsystem; ange det med --crs, "
            "t.ex. --crs EPSG:3006 (SWEREF 99 TM) eller --crs EPSG:3021 (RT90 2.5 gon V)."
        ),
        "err.places_bad_crs": "Koordinatsystemet {crs!r} känns inte igen; ange t.ex. --crs EPSG:3006.",
        "err.places_empty_layer": "Lagret i {file} innehåller inga objekt.",
        "err.places_not_polygon": (
            "Objekt {feature} i {file} är av typen {geom_type}; bara ytor (Polygon eller "
            "MultiPolygon) kan vara platser."
        ),
        "err.places_empty_geom": "Objekt {feature} ({name}) i {file} saknar geometri.",
        "err.places_no_field": ("Fältet {field!r} finns inte i {file}. Fält i filen: {fields}."),
        "err.places_missing_name": "Objekt {feature} i {file} saknar namn i fältet {field!r}.",
        "err.places_duplicate_name": (
            "Namnet {name!r} förekommer flera gånger i {file} (objekt {features}); "
            "varje plats behöver ett unikt namn."
        ),
        "err.places_exists": (
            "Kommunen {kommun} har redan platserna {names}; använd --replace för att ersätta "
            "kommunens platser med filens."
        ),
        "err.places_bad_population": (
            "Objekt {feature} ({name}): invånarantalet {value!r} i fältet {field!r} är inte ett "
            "heltal ≥ 0."
        ),
        "err.place_unknown": "Platsen {name!r} finns inte i kommun {kommun}. Kända platser: {known}.",
        "warn.places_repaired": "Objekt {feature} ({name}) hade ogiltig geometri och reparerades.",
        # Commitments
        "err.commitments_unreadable": "Filen {file} kunde inte läsas: {reason}",
        "err.commitments_format": "Filen {file}: {where}: {reason}",
        "err.commitments_format_ext": (
            "Filen {file} har okänd filändelse; använd .yaml/.yml eller .csv."
        ),
        "err.commitments_kommun_mismatch": (
            "Filen gäller kommun {file_kommun} men --kommun är {kommun}."
        ),
        "err.commitments_value": "{field} {value!r} är inte tillåtet; tillåtna värden: {allowed}.",
        "err.commitments_date": "{field} {value!r} är inte ett datum på formen ÅÅÅÅ-MM-DD.",
        "err.commitments_missing": "{field} saknas.",
        "err.commitment_unknown": "Åtagande {id} finns inte.",
        # Map (trygg.maps)
        "map.osm_label": "OpenStreetMap",
        "map.osm_attribution": "© OpenStreetMap-bidragsgivare",
        "map.custom_label": "egen bakgrundskarta",
        "map.custom_attribution": "Bakgrundskarta: {host}",
        "map.selected_layer": "Vald plats",
        "map.tooltip_aliases": "Kallas även: {aliases}",
        "map.too_few_answers": "för få svar",
        "map.metric_andel_otrygga": "Andel som känner sig otrygga ute sent på kvällen",
        "map.metric_problem": "Problem: {item}",
        "map.metric_oro": "Oro: {item}",
        "map.about_andel_otrygga": "Ganska eller mycket otrygga, eller går inte ut av otrygghet",
        "map.about_problem": "Andel som svarar ganska eller mycket stort problem",
        "map.about_oro": "Andel som är ganska eller mycket oroliga",
        "map.legend_year": "År {year}",
        "map.legend_synthetic": "Källa: syntetiska demodata (påhittade svar)",
        "map.legend_too_few": "för få svar (färre än {min_n})",
        "map.metric_incidents": "Händelser (antal)",
        "map.metric_incidents_rate": "Händelser per 1 000 invånare",
        "map.metric_incidents_category": "Händelser: {category}",
        "map.about_incidents": "Registrerade händelser under året, alla kategorier",
        "map.about_incidents_rate": "Registrerade händelser under året per 1 000 invånare",
        "map.about_incidents_category": "Registrerade händelser under året i kategorin",
        "map.legend_fewer_incidents": "färre än {k} händelser (visas inte)",
        "map.legend_no_population": "saknar invånartal",
        "map.legend_synthetic_incidents": "Källa: syntetiska demodata (påhittade händelser)",
        "map.legend_synthetic_both": "Källa: syntetiska demodata (påhittade svar och händelser)",
        "map.hotspot_layer": "Hot spots",
        "map.hotspot_title": "Hot spots (Getis-Ord Gi*), 99/95/90 % konfidens",
        "map.hotspot_hot": "fler händelser än omkring",
        "map.hotspot_cold": "färre händelser än omkring",
        "map.hotspot_note": "Rutor om {cell}, {category}. Ej signifikant: ingen färg.",
        "map.all_categories": "alla kategorier",
        "map.density_layer": "Täthet",
        "map.density_title": "Täthet av händelser (utjämnad), per km²",
        "map.density_note": "Rutor om {cell}; glesa rutor visas inte.",
        # Numbers (trygg.formatting): \u00a0 is a no-break space, \u2060 a word joiner
        "fmt.percent": "{value}\u00a0%",
        "fmt.range": "{low}\u2060–\u2060{high}\u00a0%",
        "fmt.interval": "95\u00a0% KI {range}",
        "fmt.n": "n\u00a0=\u00a0{n}",
        "fmt.trend_up": "↑ {points} procentenheter högre än {year} ({previous})",
        "fmt.trend_down": "↓ {points} procentenheter lägre än {year} ({previous})",
        "fmt.trend_same": "→ oförändrat jämfört med {year} ({previous})",
        "fmt.significant": "statistiskt säkerställd förändring",
        "fmt.not_significant": "ingen säkerställd förändring",
        "fmt.result_missing": "uppgift saknas",
        "fmt.result_index": "{value} (index 0–6)",
        "fmt.incidents": "{n} händelser",
        "fmt.incident_one": "{n} händelse",
        "fmt.fewer_than": "färre än {k}",
        "fmt.fewer_than_incidents": "färre än {k} händelser",
        "fmt.fewer_than_short": "<{k}",
        "fmt.per_1000": "{value} per 1\u00a0000 invånare",
        "fmt.per_km2": "{value} per km²",
        "fmt.number_range": "{low}\u2060–\u2060{high}",
        "fmt.previous_period": "{period}: {value}",
        "fmt.no_population": "saknar invånartal",
        "fmt.metres": "{value}\u00a0m",
        "err.tiles_setting": (
            "TRYGG_TILES={value!r} känns inte igen: ange auto, osm, none eller en adress "
            "som https://…/{{z}}/{{x}}/{{y}}.png."
        ),
        # Dashboard
        "app.title": "Trygghetskartan",
        "page.karta": "Karta",
        "dash.kommun": "Kommun",
        "dash.kommun_option": "{namn} ({kod})",
        "dash.kommun_unknown_url": "Kommunkoden {code} i adressen finns inte; visar {namn}.",
        "dash.place": "Plats",
        "dash.whole_kommun": "Hela kommunen",
        "dash.place_unknown_url": "Platsen {name} i adressen finns inte i {kommun}.",
        "dash.map_help": "Klicka på ett område på kartan eller välj en plats i listan.",
        "dash.heading_place": "Åtaganden för {place}",
        "dash.heading_kommun": "Åtaganden i {kommun}",
        "dash.kommun_wide": "Gäller hela kommunen",
        "dash.no_place_commitments": "Inga åtaganden är knutna just till {place}.",
        "dash.no_commitments": "Inga åtaganden är registrerade för {kommun}.",
        "dash.status": "Status: {status}",
        "dash.latest_follow_up": "Senaste uppföljning {date}: {status}",
        "dash.no_follow_up": "Ingen uppföljning registrerad ännu.",
        "dash.partners": "Tillsammans med: {partners}",
        "dash.demo_marker": "syntetiska demodata",
        "dash.demo_caption": (
            "Uppföljningar märkta ”syntetiska demodata” är påhittade exempel, "
            "inte verkliga uppgifter."
        ),
        "dash.tiles": "Bakgrundskarta",
        "dash.tiles_auto": "Automatisk",
        "dash.tiles_on": "Visa {label}",
        "dash.tiles_off": "Ingen (offline)",
        "dash.tiles_active_on": "Bakgrundskarta: {label}.",
        "dash.tiles_active_off": "Ingen bakgrundskarta: kartan fungerar utan internet.",
        "dash.tiles_auto_offline": (
            "Automatiskt läge: kartservern svarar inte, så kartan visas utan bakgrund."
        ),
        "dash.download_html": "Ladda ner kartan som HTML-fil",
        "dash.download_help": "En fil som visar kartan i webbläsaren utan internet.",
        "dash.db_missing": (
            "Databasen {db} finns inte ännu. Kör `make run` (skapar den med demodata) "
            "eller `trygg --db {db} demo`."
        ),
        "dash.db_empty": (
            "Databasen {db} innehåller inga platser ännu. Kör `trygg --db {db} demo` "
            "eller importera kommunens platser."
        ),
        # Dashboard: survey figures on the Karta page
        "dash.metric": "Visa på kartan",
        "dash.year": "År",
        "dash.survey_heading_place": "Enkätsvar {year} – {place}",
        "dash.survey_heading_kommun": "Enkätsvar {year} – hela {kommun}",
        "dash.no_survey": "Inga enkätsvar är inlästa för {kommun} ännu.",
        "dash.too_few": "Färre än {min_n} svar: siffran visas inte, så att ingen kan pekas ut.",
        "dash.total_secondary": (
            "Siffran visas inte: tillsammans med andra platsers siffror skulle den avslöja "
            "svaren från en liten grupp."
        ),
        "dash.no_previous": "Inget tidigare år att jämföra med.",
        "dash.no_trend": "Ingen jämförelse med {year}: för få svar något av åren.",
        "dash.items_problem": "Problem i området",
        "dash.items_oro": "Oro",
        "dash.col_item": "Fråga",
        "dash.col_share": "Andel",
        "dash.col_n": "n",
        "dash.col_interval": "95 % KI",
        "dash.delivered_heading": "Levererade resultat",
        "dash.delivered_line": "{indicator}: {value}",
        "dash.delivered_source": "Källa: {source}",
        "dash.delivered_area": "Område i leveransen: {area}",
        "dash.synthetic_survey": "Enkätsvaren är syntetiska demodata: påhittade svar, inte verkliga.",
        "dash.no_survey_year": "Inga enkätsvar är inlästa för {kommun} {year}.",
        # Dashboard: incidents, privacy and map layers on the Karta page
        "dash.public": "Publik visning (projektor)",
        "dash.public_help": "På: antal under {k} visas som ”färre än {k}” och rutor med färre än {k} händelser visas inte. Av (samordnare): exakta antal. Enskilda händelsepunkter visas aldrig.",
        "dash.public_on": "Publik visning: antal under {k} döljs.",
        "dash.public_off": "Samordnarläge: exakta antal. Visa inte på projektor.",
        "dash.layers": "Lager på kartan",
        "dash.layer_hotspots": "Hot spots (Getis-Ord Gi*)",
        "dash.layer_density": "Täthet av händelser",
        "dash.cell_size": "Rutstorlek för hot spots",
        "dash.layer_category": "Händelser i lagren",
        "dash.all_categories": "Alla kategorier",
        "dash.no_hotspots": "Inga signifikanta hot spots {year} med de här valen.",
        "dash.computing_hotspots": "Räknar fram hot spots …",
        "dash.incidents_heading_place": "Händelser {year} – {place}",
        "dash.incidents_heading_kommun": "Händelser {year} – hela {kommun}",
        "dash.no_incidents": "Inga händelser är inlästa för {kommun}.",
        "dash.incidents_total": "Händelser",
        "dash.incidents_previous": "Föregående period ({period}): {value}.",
        "dash.incidents_no_previous": "Inga händelser inlästa för {period} att jämföra med.",
        "dash.by_category": "Per kategori",
        "dash.col_category": "Kategori",
        "dash.all_categories_row": "Alla kategorier",
        "dash.by_month": "Per månad",
        "dash.col_month": "Månad",
        "dash.col_count": "Händelser",
        "dash.hour_weekday": "När på dygnet och veckan",
        "dash.hour_weekday_help": "Händelser med klockslag, per veckodag och timme (00 = 00.00–00.59). Mörkare = fler.",
        "dash.fewer_public": "Antal under {k} visas som ”färre än {k}” (”<{k}” i tabellen), så att ingen enskild händelse kan pekas ut.",
        "dash.synthetic_incidents": "Händelserna är syntetiska demodata: påhittade, inte verkliga.",
        # Dashboard: the upload page
        "page.importera": "Importera enkät",
        "upload.title": "Importera enkät – {kommun}",
        "upload.help": (
            "Ladda upp enkätsvar som CSV, Excel eller ODS, en rad per svarande. Rader som "
            "inte kan läsas visas nedan med sitt radnummer, så att du kan rätta dem i filen."
        ),
        "upload.file": "Enkätfil (CSV, Excel eller ODS)",
        "upload.year": "År (om filen saknar kolumnen År)",
        "upload.year_placeholder": "Från filen",
        "upload.source": "Källa (valfritt)",
        "upload.source_placeholder": "t.ex. Kommunens trygghetsenkät 2024",
        "upload.submit": "Importera",
        "upload.need_file": "Välj en fil först.",
        "upload.done": "{file} är inläst (batch {batch_id}).",
        "upload.rows": "Rader i filen",
        "upload.accepted": "Inlästa",
        "upload.rejected": "Avvisade",
        "upload.unresolved": "Varav okänd plats",
        "upload.rejected_heading": "Avvisade rader",
        "upload.rejected_help": (
            "Radnumret är radens nummer i filen (rubrikraden är rad 1). Rätta raderna i "
            "filen och läs in den igen."
        ),
        "upload.download_rejected": "Ladda ner avvisade rader (CSV)",
        "upload.none_rejected": "Alla rader lästes in.",
        "upload.col_row": "Rad",
        "upload.col_column": "Kolumn",
        "upload.col_value": "Värde",
        "upload.col_message": "Fel",
        "upload.batches_heading": "Inlästa filer",
        "upload.no_batches": "Inga filer med enkätsvar eller händelser är inlästa för {kommun}.",
        "upload.batch_title": "{file} (batch {id}, {kind})",
        "upload.batch_meta": (
            "{uploaded_at} av {user} · {rows} rader, {accepted} inlästa, {rejected} avvisade"
        ),
        "upload.batch_source": "Källa: {source}",
        "upload.status_active": "Räknas på kartan",
        "upload.status_rolled_back": "Tillbakarullad",
        "upload.rollback": "Rulla tillbaka",
        "upload.restore": "Återställ",
        "upload.rolled_back": "Batch {id} är tillbakarullad: dess siffror räknas inte längre.",
        "upload.restored": "Batch {id} är återställd och räknas igen.",
        "upload.kind_survey": "enkätsvar",
        "upload.kind_survey_results": "områdesresultat",
        "upload.kind_incidents": "händelser",
        "upload.kind_crime_stats": "anmälda brott",
        # --- auth (sv) ---
        "err.login_required": "Logga in som samordnare för att ändra data.",
        "err.not_your_kommun": (
            "{user} är inte samordnare för kommun {kommun} och kan inte ändra dess data."
        ),
        "auth.wrong_password": "Fel användarnamn eller lösenord.",
        "auth.rate_limited": "För många misslyckade inloggningar; vänta {seconds} sekunder och försök igen.",
        "auth.session_idle": "Du har loggats ut efter {minutes} minuter utan aktivitet; logga in igen.",
        "auth.session_max": "Du har loggats ut efter {hours} timmar; logga in igen.",
        "auth.session_revoked": "Du har loggats ut eftersom kontot har ändrats eller tagits bort; logga in igen.",
        "auth.oidc_no_access": "{email} har ingen behörighet: adressen hör inte till någon samordnare.",
        "auth.name_invalid": "Användarnamnet {name!r} är ogiltigt: använd 2–64 bokstäver, siffror eller . _ @ -.",
        "auth.name_reserved": "Användarnamnet {name} är reserverat (det står redan på demo- eller kommandoradsimporter); välj ett annat.",
        "auth.user_exists": "Användaren {name} finns redan; byt lösenord med trygg passwd {name}.",
        "auth.user_unknown": "Användaren {name} finns inte; se trygg users.",
        "auth.email_taken": "E-postadressen {email} hör redan till en annan användare.",
        "auth.email_invalid": "E-postadressen {email!r} är ogiltig.",
        "auth.needs_kommun": "Ange minst en kommun med --kommun, eller --admin för alla kommuner.",
        "auth.password_short": "Lösenordet är för kort: det ska ha minst {min} tecken.",
        "auth.password_long": "Lösenordet är för långt: det får ha högst {max} tecken.",
        "auth.password_mismatch": "Lösenorden var inte lika; inget ändrades.",
        "auth.password_missing": "Inget lösenord kom på standard in; inget ändrades.",
        "auth.store_failed": "Användarna kunde inte sparas i databasen ({reason}); inget ändrades.",
        "cli.help_add_user": "skapa en samordnare (lösenordet läses från en fråga eller standard in)",
        "cli.help_user_kommun": "kommun som användaren får ändra, fyra siffror (kan upprepas)",
        "cli.help_admin": "får ändra alla kommuner",
        "cli.help_email": "e-postadress för inloggning via organisationens konto (OIDC)",
        "cli.help_passwd": "byt en användares lösenord",
        "cli.help_users": "lista användarna (aldrig lösenord eller hashar)",
        "cli.help_remove_user": "ta bort en användare",
        "cli.password_prompt": "Lösenord för {name}: ",
        "cli.password_again": "Samma lösenord igen: ",
        "cli.user_added": "Användaren {name} är skapad ({scope}).",
        "cli.scope_admin": "administratör, alla kommuner",
        "cli.scope_kommuner": "samordnare för {kommuner}",
        "cli.password_set": "Lösenordet för {name} är bytt; inloggningar som började före bytet avslutas.",
        "cli.user_removed": "Användaren {name} är borttagen.",
        "cli.user_changed": "lösenord ändrat {when} UTC",
        "cli.no_users": "Inga användare ännu; skapa den första med trygg add-user NAMN --kommun KOD.",
        "page.login": "Logga in",
        "page.account": "Inloggning",
        "login.title": "Logga in som samordnare",
        "login.help": "Kartan är öppen för alla. För att importera filer, rulla tillbaka importer och slå av publik visning loggar du in som samordnare.",
        "login.name": "Användarnamn",
        "login.password": "Lösenord",
        "login.submit": "Logga in",
        "login.missing": "Fyll i både användarnamn och lösenord.",
        "login.oidc": "Logga in med organisationens konto",
        "login.or_password": "Eller med användarnamn och lösenord:",
        "login.logged_in_as": "Inloggad som {name} ({scope}).",
        "login.scope_admin": "alla kommuner",
        "login.scope_kommuner": "kommun {kommuner}",
        "login.to_import": "Till importsidan",
        "login.logout": "Logga ut",
        "login.logged_out": "Du är utloggad.",
        "login.session_rules": "Inloggningen avslutas efter {minutes} minuter utan aktivitet och senast efter {hours} timmar.",
        "login.sidebar": "Inloggad: {name}",
        "login.need": "Logga in som samordnare för att importera filer för {kommun}.",
        "login.not_yours": "{name} är inte samordnare för {kommun}; välj en av dina kommuner ({kommuner}).",
        # --- end auth (sv) ---
        # --- files (sv) ---
        "err.file_too_big": "Filen {file} är {found} stor; gränsen är {limit} ({variable}).",
        "err.document_too_big": "Filen {file} är {found} stor; gränsen för medborgarlöften och mappningsfiler är {limit} ({variable}).",
        "err.zip_unreadable": "Filen {file} är ingen läsbar zip-fil.",
        "err.zip_too_big": "Filen {file} packas upp till {found}; gränsen är {limit} ({variable}).",
        "err.zip_ratio": "Filen {file} ser ut som en zip-bomb: {member} packas upp till {found} gånger sin packade storlek; gränsen är {limit} gånger ({variable}).",
        "err.zip_encrypted": "Filen {file} innehåller den krypterade delen {member}; krypterade zip-filer kan inte läsas.",
        "err.zip_member_path": "Filen {file} innehåller {member!r}: absoluta sökvägar, '..' och länkar tillåts inte i en zip-fil.",
        "err.zip_member_kind": "Filen {file} innehåller {member!r}, som inte är en del av en Shapefile (.shp, .shx, .dbf, .prj, .cpg, .qpj, .sbn, .sbx, .xml).",
        "err.zip_no_shapefile": "Filen {file} innehåller ingen .shp-fil; packa Shapefilens delar (.shp, .shx, .dbf, .prj) i zip-filen.",
        "err.sheet_extent": "Filen {file}: första bladet sträcker sig till cell {cell}, alltså {found} {what}; gränsen är {limit} ({variable}).",
        "err.sheet_extent_read": "Filen {file}: första bladet har {found} {what}; gränsen är {limit} ({variable}).",
        "word.rows": "rader",
        "word.columns": "kolumner",
        "word.cells": "celler",
        "err.table_columns": "Rad {row} i {file} har {found} kolumner; gränsen är {limit} ({variable}).",
        "err.table_rows": "Filen {file} har fler än {limit} rader; gränsen sätts med {variable}.",
        "err.table_cells": "Filen {file} har fler än {limit} celler (rader × kolumner); gränsen sätts med {variable}.",
        "err.cell_too_long": "Rad {row} i {file} har en cell med fler än {limit} tecken; gränsen sätts med {variable}.",
        "err.csv_broken": "Filen {file} kan inte läsas som CSV på rad {row}: {reason}.",
        "err.table_wrong_kind": "Filen {file} ser ut som {kind} men har filändelsen {suffix!r}; byt filändelse och försök igen.",
        "kind.zip": "en Excel- eller ODS-fil (zip)",
        "kind.xls": "en äldre Excel-fil (.xls)",
        "kind.sqlite": "en SQLite-databas eller GeoPackage",
        "kind.pdf": "en PDF",
        "err.reader_timeout": "Filen {file} tog längre tid att läsa än gränsen {limit} s ({variable}) och avvisades.",
        "err.reader_memory": "Filen {file} behövde mer minne än gränsen {limit} ({variable}) för att läsas och avvisades.",
        "err.reader_crashed": "Filen {file} kunde inte läsas: läsaren stannade på filens innehåll; spara om filen och försök igen.",
        "err.layer_format": "Filen {file} är inte ett kartlager som kan läsas: ange GeoJSON, GeoPackage, zippad Shapefile eller KML.",
        "err.layer_content": "Filen {file} är inte ett kartlager som kan läsas ({reason}): ange GeoJSON, GeoPackage, zippad Shapefile eller KML.",
        "reason.not_geojson": "innehållet är inte ett JSON-objekt",
        "reason.not_sqlite": "innehållet är ingen SQLite-databas",
        "reason.not_gpkg": "SQLite-databasen är ingen GeoPackage",
        "reason.kml_doctype": "KML-filen har en DOCTYPE- eller ENTITY-deklaration, som inte tillåts",
        "reason.not_xml": "innehållet är inte läsbar XML",
        "reason.not_kml": "XML-filens rotelement är inte <kml>",
        "reason.json_depth": "JSON-innehållet är för djupt nästlat",
        "reason.json_invalid": "innehållet är inte giltig JSON",
        "reason.geojson_type": "JSON-objektet har ingen GeoJSON-typ (FeatureCollection, Feature eller en geometri)",
        "reason.gdal_failed": "GDAL kunde inte läsa lagret",
        "err.geojson_crs": 'Filen {file} anger sitt koordinatsystem som {value}, vilket inte tillåts: ange en EPSG-kod (t.ex. "EPSG:3006") i filen eller använd --crs.',
        "err.layer_vertices": "Lagret i {file} har {found} hörnpunkter; gränsen är {limit} ({variable}).",
        "err.yaml_alias": "Filen {file} använder ett YAML-alias på rad {line}; alias (*namn) tillåts inte i importfiler.",
        "err.nesting": "Filen {file} är nästlad djupare än {limit} nivåer på rad {line}; gränsen sätts med {variable}.",
        "err.yaml_unreadable": "Filen {file} kan inte läsas som YAML på rad {line}: {reason}.",
        "row.count_range": "antal ska vara ett heltal från 1 till {max}",
        "row.year_range": "året ska vara ett årtal från {min} till {max}, t.ex. 2024",
        "row.weight_range": "vikten ska vara ett positivt tal upp till {max} (t.ex. 1,25)",
        "row.date_range": "datumet ska ligga mellan år {min} och {max}",
        "row.coordinate_range": "punkten ligger utanför Sverige; förväntade en koordinat i {crs}",
        "row.result_range": "värdet ska vara ett tal från 0 till {max} (index 0–6 eller procent) eller en markering för saknat värde (XX, .., –)",
        "row.result_n_range": "antalet svar ska vara ett heltal från 0 till {max}",
        "row.crime_value_range": "värdet ska vara ett tal från 0 till {max} eller en markering för saknat värde (XX, .., –)",
        "row.period_range": "perioden ska börja med ett årtal från {min} till {max}, t.ex. 2024 eller 2024 kv1",
        "err.places_outside": "Objekt {feature} ({name}) i {file} ligger utanför Sverige; kontrollera koordinatsystemet (ange det med --crs).",
        "err.places_population_range": "Objekt {feature} ({name}): invånarantalet {value!r} i fältet {field!r} ska vara ett heltal från 0 till {max}.",
        "err.commitments_date_range": "{field} {value} ska ligga mellan år {min} och {max}.",
        "reason.not_utf8": "texten är inte kodad som UTF-8",
        "err.page_failed": (
            "Något gick fel när sidan skulle visas. Inget har ändrats; ladda om sidan, "
            "och säg till samordnaren om felet kommer tillbaka."
        ),
        # --- end files (sv) ---
        # --- exports (sv) ---
        "exports.sheet_stats": "Trygghetstal",
        "exports.sheet_rejected": "Avvisade rader",
        "exports.xlsx_needs_out": "Excel-formatet skrivs till en fil: ange --out FIL.xlsx.",
        "err.db_busy": (
            "Databasen är upptagen av en annan import; försök igen om en stund. Inget sparades."
        ),
        "err.survey_duplicates": (
            "Filen {file} innehåller {count} svar som redan finns i batch {batch_ids} "
            "({how}). Inget sparades. Är det nya svar, importera ändå med --force "
            "(i panelen: bekräfta importen)."
        ),
        "exports.duplicates_by_id": "samma respondent-id",
        "exports.duplicates_by_row": "identiska rader: samma år, plats och svar",
        "exports.duplicates_forced": (
            "Varning: {count} av svaren fanns redan i batch {batch_ids}; de sparades ändå (--force)."
        ),
        "upload.duplicates_import": "Importera ändå (det är nya svar)",
        "upload.duplicates_cancel": "Avbryt",
        "upload.duplicates_cancelled": "Filen {file} importerades inte; inget sparades.",
        "upload.download_rejected_xlsx": "Ladda ner avvisade rader (Excel)",
        # --- end exports (sv) ---
        # --- injection (sv) ---
        # --- end injection (sv) ---
        # --- privacy (sv) ---
        "err.year_range": "Året {year} ligger utanför {first}–{last}.",
        "err.period_order": "Perioden {start}–{end} slutar innan den börjar.",
        "err.public_period": (
            "I publik visning kan perioden bara vara ett helt kalenderår (--year 2024) eller "
            "en hel kalendermånad (--from 2024-03-01 --to 2024-03-31), inte {period}: "
            "annars kunde små tal räknas fram genom att jämföra två perioder."
        ),
        "err.public_period_year": (
            "I publik visning visas när händelser sker bara för ett helt kalenderår "
            "(--year 2024), inte för {period}."
        ),
        "fmt.hidden_to_protect": "dold för att skydda en liten grupp",
        # --- end privacy (sv) ---
    },
    "en": {
        "err.kommun_code": "The kommun code {code!r} is invalid: it must be four digits, e.g. 0683.",
        "err.unexpected": "An unexpected error occurred ({kind}): {reason}. Nothing was saved.",
        # Map (trygg.maps)
        "map.osm_label": "OpenStreetMap",
        "map.osm_attribution": "© OpenStreetMap contributors",
        "map.custom_label": "custom basemap",
        "map.custom_attribution": "Basemap: {host}",
        "map.selected_layer": "Selected place",
        "map.tooltip_aliases": "Also called: {aliases}",
        "map.too_few_answers": "too few answers",
        "map.metric_andel_otrygga": "Share who feel unsafe outdoors late in the evening",
        "map.metric_problem": "Problem: {item}",
        "map.metric_oro": "Worry: {item}",
        "map.about_andel_otrygga": "Fairly or very unsafe, or do not go out because of it",
        "map.about_problem": "Share answering a fairly or very big problem",
        "map.about_oro": "Share who are fairly or very worried",
        "map.legend_year": "Year {year}",
        "map.legend_synthetic": "Source: synthetic demo data (invented answers)",
        "map.legend_too_few": "too few answers (fewer than {min_n})",
        "map.metric_incidents": "Incidents (count)",
        "map.metric_incidents_rate": "Incidents per 1,000 inhabitants",
        "map.metric_incidents_category": "Incidents: {category}",
        "map.about_incidents": "Recorded incidents in the year, all categories",
        "map.about_incidents_rate": "Recorded incidents in the year per 1,000 inhabitants",
        "map.about_incidents_category": "Recorded incidents in the year in the category",
        "map.legend_fewer_incidents": "fewer than {k} incidents (hidden)",
        "map.legend_no_population": "no population figure",
        "map.legend_synthetic_incidents": "Source: synthetic demo data (invented incidents)",
        "map.legend_synthetic_both": "Source: synthetic demo data (invented answers and incidents)",
        "map.hotspot_layer": "Hot spots",
        "map.hotspot_title": "Hot spots (Getis-Ord Gi*), 99/95/90% confidence",
        "map.hotspot_hot": "more incidents than around it",
        "map.hotspot_cold": "fewer incidents than around it",
        "map.hotspot_note": "Cells of {cell}, {category}. Not significant: no colour.",
        "map.all_categories": "all categories",
        "map.density_layer": "Density",
        "map.density_title": "Density of incidents (smoothed), per km²",
        "map.density_note": "Cells of {cell}; sparse cells are not shown.",
        # Numbers (trygg.formatting)
        "fmt.percent": "{value}%",
        "fmt.range": "{low}\u2060–\u2060{high}%",
        "fmt.interval": "95% CI {range}",
        "fmt.n": "n\u00a0=\u00a0{n}",
        "fmt.trend_up": "↑ {points} percentage points higher than {year} ({previous})",
        "fmt.trend_down": "↓ {points} percentage points lower than {year} ({previous})",
        "fmt.trend_same": "→ unchanged since {year} ({previous})",
        "fmt.significant": "statistically significant change",
        "fmt.not_significant": "no significant change",
        "fmt.result_missing": "not available",
        "fmt.result_index": "{value} (index 0–6)",
        "fmt.incidents": "{n} incidents",
        "fmt.incident_one": "{n} incident",
        "fmt.fewer_than": "fewer than {k}",
        "fmt.fewer_than_incidents": "fewer than {k} incidents",
        "fmt.fewer_than_short": "<{k}",
        "fmt.per_1000": "{value} per 1,000 inhabitants",
        "fmt.per_km2": "{value} per km²",
        "fmt.number_range": "{low}\u2060–\u2060{high}",
        "fmt.previous_period": "{period}: {value}",
        "fmt.no_population": "no population figure",
        "fmt.metres": "{value}\u00a0m",
        "err.tiles_setting": (
            "TRYGG_TILES={value!r} is not recognised: use auto, osm, none or an address "
            "like https://…/{{z}}/{{x}}/{{y}}.png."
        ),
        # Dashboard
        "app.title": "Trygghetskartan",
        "page.karta": "Map",
        "dash.kommun": "Municipality",
        "dash.kommun_option": "{namn} ({kod})",
        "dash.kommun_unknown_url": "The municipality code {code} in the address is unknown; "
        "showing {namn}.",
        "dash.place": "Place",
        "dash.whole_kommun": "The whole municipality",
        "dash.place_unknown_url": "The place {name} in the address is not in {kommun}.",
        "dash.map_help": "Click an area on the map or choose a place in the list.",
        "dash.heading_place": "Commitments for {place}",
        "dash.heading_kommun": "Commitments in {kommun}",
        "dash.kommun_wide": "Applies to the whole municipality",
        "dash.no_place_commitments": "No commitments are tied to {place} itself.",
        "dash.no_commitments": "No commitments are recorded for {kommun}.",
        "dash.status": "Status: {status}",
        "dash.latest_follow_up": "Latest follow-up {date}: {status}",
        "dash.no_follow_up": "No follow-up recorded yet.",
        "dash.partners": "Together with: {partners}",
        "dash.demo_marker": "synthetic demo data",
        "dash.demo_caption": "Follow-ups marked “synthetic demo data” are invented examples, "
        "not real records.",
        "dash.tiles": "Basemap",
        "dash.tiles_auto": "Automatic",
        "dash.tiles_on": "Show {label}",
        "dash.tiles_off": "None (offline)",
        "dash.tiles_active_on": "Basemap: {label}.",
        "dash.tiles_active_off": "No basemap: the map works without internet.",
        "dash.tiles_auto_offline": "Automatic mode: the tile server does not answer, so the map "
        "has no background.",
        "dash.download_html": "Download the map as an HTML file",
        "dash.download_help": "A file that shows the map in a browser without internet.",
        "dash.db_missing": "The database {db} does not exist yet. Run `make run` (creates it "
        "with demo data) or `trygg --db {db} demo`.",
        "dash.db_empty": "The database {db} has no places yet. Run `trygg --db {db} demo` or "
        "import the municipality's places.",
        # Dashboard: survey figures on the Karta page
        "dash.metric": "Show on the map",
        "dash.year": "Year",
        "dash.survey_heading_place": "Survey {year} – {place}",
        "dash.survey_heading_kommun": "Survey {year} – all of {kommun}",
        "dash.no_survey": "No survey answers are loaded for {kommun} yet.",
        "dash.too_few": "Fewer than {min_n} answers: the figure is hidden so no one can be "
        "singled out.",
        "dash.total_secondary": "The figure is hidden: together with other places' figures it "
        "would reveal the answers of a small group.",
        "dash.no_previous": "No earlier year to compare with.",
        "dash.no_trend": "No comparison with {year}: too few answers in one of the years.",
        "dash.items_problem": "Problems in the area",
        "dash.items_oro": "Worries",
        "dash.col_item": "Question",
        "dash.col_share": "Share",
        "dash.col_n": "n",
        "dash.col_interval": "95% CI",
        "dash.delivered_heading": "Delivered results",
        "dash.delivered_line": "{indicator}: {value}",
        "dash.delivered_source": "Source: {source}",
        "dash.delivered_area": "Area in the delivery: {area}",
        "dash.synthetic_survey": "The survey answers are synthetic demo data, not real answers.",
        "dash.no_survey_year": "No survey answers are loaded for {kommun} {year}.",
        # Dashboard: incidents, privacy and map layers on the Karta page
        "dash.public": "Public view (projector)",
        "dash.public_help": "On: counts below {k} show as “fewer than {k}” and cells with fewer "
        "than {k} incidents are hidden. Off (coordinator): exact counts. Single incident points "
        "are never shown.",
        "dash.public_on": "Public view: counts below {k} are hidden.",
        "dash.public_off": "Coordinator mode: exact counts. Do not show on a projector.",
        "dash.layers": "Map layers",
        "dash.layer_hotspots": "Hot spots (Getis-Ord Gi*)",
        "dash.layer_density": "Density of incidents",
        "dash.cell_size": "Hot-spot cell size",
        "dash.layer_category": "Incidents in the layers",
        "dash.all_categories": "All categories",
        "dash.no_hotspots": "No significant hot spots in {year} with these choices.",
        "dash.computing_hotspots": "Computing hot spots …",
        "dash.incidents_heading_place": "Incidents {year} – {place}",
        "dash.incidents_heading_kommun": "Incidents {year} – all of {kommun}",
        "dash.no_incidents": "No incidents are loaded for {kommun}.",
        "dash.incidents_total": "Incidents",
        "dash.incidents_previous": "Previous period ({period}): {value}.",
        "dash.incidents_no_previous": "No incidents loaded for {period} to compare with.",
        "dash.by_category": "By category",
        "dash.col_category": "Category",
        "dash.all_categories_row": "All categories",
        "dash.by_month": "By month",
        "dash.col_month": "Month",
        "dash.col_count": "Incidents",
        "dash.hour_weekday": "When in the day and week",
        "dash.hour_weekday_help": "Incidents with a time of day, by weekday and hour (00 = "
        "00:00–00:59). Darker = more.",
        "dash.fewer_public": "Counts below {k} show as “fewer than {k}” (“<{k}” in the table), "
        "so no single incident can be singled out.",
        "dash.synthetic_incidents": "The incidents are synthetic demo data: invented, not real.",
        # Dashboard: the upload page
        "page.importera": "Import survey",
        "upload.title": "Import survey – {kommun}",
        "upload.help": "Upload survey answers as CSV, Excel or ODS, one row per respondent. "
        "Rows that cannot be read are listed below with their row number so you can fix them.",
        "upload.file": "Survey file (CSV, Excel or ODS)",
        "upload.year": "Year (if the file has no Year column)",
        "upload.year_placeholder": "From the file",
        "upload.source": "Source (optional)",
        "upload.source_placeholder": "e.g. the municipality's safety survey 2024",
        "upload.submit": "Import",
        "upload.need_file": "Choose a file first.",
        "upload.done": "{file} is imported (batch {batch_id}).",
        "upload.rows": "Rows in the file",
        "upload.accepted": "Imported",
        "upload.rejected": "Rejected",
        "upload.unresolved": "Of which unknown place",
        "upload.rejected_heading": "Rejected rows",
        "upload.rejected_help": "The row number is the row in the file (the header is row 1). "
        "Fix the rows in the file and import it again.",
        "upload.download_rejected": "Download rejected rows (CSV)",
        "upload.none_rejected": "Every row was imported.",
        "upload.col_row": "Row",
        "upload.col_column": "Column",
        "upload.col_value": "Value",
        "upload.col_message": "Problem",
        "upload.batches_heading": "Imported files",
        "upload.no_batches": "No survey or incident files are imported for {kommun}.",
        "upload.batch_title": "{file} (batch {id}, {kind})",
        "upload.batch_meta": "{uploaded_at} by {user} · {rows} rows, {accepted} imported, "
        "{rejected} rejected",
        "upload.batch_source": "Source: {source}",
        "upload.status_active": "Counted on the map",
        "upload.status_rolled_back": "Rolled back",
        "upload.rollback": "Roll back",
        "upload.restore": "Restore",
        "upload.rolled_back": "Batch {id} is rolled back: its figures no longer count.",
        "upload.restored": "Batch {id} is restored and counts again.",
        "upload.kind_survey": "survey answers",
        "upload.kind_survey_results": "area results",
        "upload.kind_incidents": "incidents",
        "upload.kind_crime_stats": "reported crime",
        # --- auth (en) ---
        "err.login_required": "Log in as a coordinator to change data.",
        "err.not_your_kommun": (
            "{user} is not a coordinator for kommun {kommun} and cannot change its data."
        ),
        "auth.wrong_password": "Wrong user name or password.",
        "auth.rate_limited": "Too many failed logins; wait {seconds} seconds and try again.",
        "auth.session_idle": "You were logged out after {minutes} minutes without activity; log in again.",
        "auth.session_max": "You were logged out after {hours} hours; log in again.",
        "auth.session_revoked": "You were logged out because the account was changed or removed; log in again.",
        "auth.oidc_no_access": "{email} has no access: the address does not belong to any coordinator.",
        "auth.name_invalid": "The user name {name!r} is invalid: use 2–64 letters, digits or . _ @ -.",
        "auth.name_reserved": "The user name {name} is reserved (demo and command-line imports carry it); choose another.",
        "auth.user_exists": "The user {name} already exists; change the password with trygg passwd {name}.",
        "auth.user_unknown": "There is no user {name}; see trygg users.",
        "auth.email_taken": "The e-mail address {email} already belongs to another user.",
        "auth.email_invalid": "The e-mail address {email!r} is invalid.",
        "auth.needs_kommun": "Give at least one kommun with --kommun, or --admin for every kommun.",
        "auth.password_short": "The password is too short: it must have at least {min} characters.",
        "auth.password_long": "The password is too long: it may have at most {max} characters.",
        "auth.password_mismatch": "The passwords were not the same; nothing was changed.",
        "auth.password_missing": "No password came on standard input; nothing was changed.",
        "auth.store_failed": "The users could not be saved in the database ({reason}); nothing was changed.",
        "cli.help_add_user": "create a coordinator (the password is read from a prompt or standard input)",
        "cli.help_user_kommun": "a kommun the user may change, four digits (may be repeated)",
        "cli.help_admin": "may change every kommun",
        "cli.help_email": "e-mail address for logging in with the organisation's account (OIDC)",
        "cli.help_passwd": "change a user's password",
        "cli.help_users": "list the users (never passwords or hashes)",
        "cli.help_remove_user": "remove a user",
        "cli.password_prompt": "Password for {name}: ",
        "cli.password_again": "The same password again: ",
        "cli.user_added": "The user {name} is created ({scope}).",
        "cli.scope_admin": "administrator, every kommun",
        "cli.scope_kommuner": "coordinator for {kommuner}",
        "cli.password_set": "The password of {name} is changed; logins begun before the change end.",
        "cli.user_removed": "The user {name} is removed.",
        "cli.user_changed": "password changed {when} UTC",
        "cli.no_users": "No users yet; create the first with trygg add-user NAME --kommun CODE.",
        "page.login": "Log in",
        "page.account": "Login",
        "login.title": "Log in as a coordinator",
        "login.help": "The map is open to everyone. To import files, roll back imports and turn off the public view, log in as a coordinator.",
        "login.name": "User name",
        "login.password": "Password",
        "login.submit": "Log in",
        "login.missing": "Fill in both the user name and the password.",
        "login.oidc": "Log in with the organisation's account",
        "login.or_password": "Or with a user name and password:",
        "login.logged_in_as": "Logged in as {name} ({scope}).",
        "login.scope_admin": "every kommun",
        "login.scope_kommuner": "kommun {kommuner}",
        "login.to_import": "To the import page",
        "login.logout": "Log out",
        "login.logged_out": "You are logged out.",
        "login.session_rules": "The login ends after {minutes} minutes without activity and after {hours} hours at the latest.",
        "login.sidebar": "Logged in: {name}",
        "login.need": "Log in as a coordinator to import files for {kommun}.",
        "login.not_yours": "{name} is not a coordinator for {kommun}; choose one of your kommuner ({kommuner}).",
        # --- end auth (en) ---
        # --- files (en) ---
        "err.file_too_big": "The file {file} is {found}; the limit is {limit} ({variable}).",
        "err.document_too_big": "The file {file} is {found}; the limit for commitment and mapping files is {limit} ({variable}).",
        "err.zip_unreadable": "The file {file} is not a readable zip file.",
        "err.zip_too_big": "The file {file} unpacks to {found}; the limit is {limit} ({variable}).",
        "err.zip_ratio": "The file {file} looks like a zip bomb: {member} unpacks to {found} times its packed size; the limit is {limit} times ({variable}).",
        "err.zip_encrypted": "The file {file} holds the encrypted part {member}; encrypted zip files cannot be read.",
        "err.zip_member_path": "The file {file} holds {member!r}: absolute paths, '..' and links are not allowed in a zip file.",
        "err.zip_member_kind": "The file {file} holds {member!r}, which is not part of a Shapefile (.shp, .shx, .dbf, .prj, .cpg, .qpj, .sbn, .sbx, .xml).",
        "err.zip_no_shapefile": "The file {file} holds no .shp file; zip the Shapefile's parts (.shp, .shx, .dbf, .prj).",
        "err.sheet_extent": "The file {file}: the first sheet reaches cell {cell}, that is {found} {what}; the limit is {limit} ({variable}).",
        "err.sheet_extent_read": "The file {file}: the first sheet has {found} {what}; the limit is {limit} ({variable}).",
        "word.rows": "rows",
        "word.columns": "columns",
        "word.cells": "cells",
        "err.table_columns": "Row {row} of {file} has {found} columns; the limit is {limit} ({variable}).",
        "err.table_rows": "The file {file} has more than {limit} rows; the limit is set by {variable}.",
        "err.table_cells": "The file {file} has more than {limit} cells (rows × columns); the limit is set by {variable}.",
        "err.cell_too_long": "Row {row} of {file} has a cell of more than {limit} characters; the limit is set by {variable}.",
        "err.csv_broken": "The file {file} cannot be read as CSV at row {row}: {reason}.",
        "err.table_wrong_kind": "The file {file} looks like {kind} but is named {suffix!r}; rename it and try again.",
        "kind.zip": "an Excel or ODS file (zip)",
        "kind.xls": "an old Excel file (.xls)",
        "kind.sqlite": "an SQLite database or GeoPackage",
        "kind.pdf": "a PDF",
        "err.reader_timeout": "Reading the file {file} took longer than the limit of {limit} s ({variable}); it was refused.",
        "err.reader_memory": "Reading the file {file} needed more memory than the limit of {limit} ({variable}); it was refused.",
        "err.reader_crashed": "The file {file} could not be read: the reader stopped on its content; save the file again and retry.",
        "err.layer_format": "The file {file} is not a map layer that can be read: use GeoJSON, GeoPackage, zipped Shapefile or KML.",
        "err.layer_content": "The file {file} is not a map layer that can be read ({reason}): use GeoJSON, GeoPackage, zipped Shapefile or KML.",
        "reason.not_geojson": "the content is not a JSON object",
        "reason.not_sqlite": "the content is not an SQLite database",
        "reason.not_gpkg": "the SQLite database is not a GeoPackage",
        "reason.kml_doctype": "the KML file has a DOCTYPE or ENTITY declaration, which is not allowed",
        "reason.not_xml": "the content is not readable XML",
        "reason.not_kml": "the XML root element is not <kml>",
        "reason.json_depth": "the JSON content is nested too deeply",
        "reason.json_invalid": "the content is not valid JSON",
        "reason.geojson_type": "the JSON object has no GeoJSON type (FeatureCollection, Feature or a geometry)",
        "reason.gdal_failed": "GDAL could not read the layer",
        "err.geojson_crs": 'The file {file} gives its coordinate system as {value}, which is not allowed: give an EPSG code (e.g. "EPSG:3006") in the file or use --crs.',
        "err.layer_vertices": "The layer in {file} has {found} vertices; the limit is {limit} ({variable}).",
        "err.yaml_alias": "The file {file} uses a YAML alias at line {line}; aliases (*name) are not allowed in import files.",
        "err.nesting": "The file {file} is nested deeper than {limit} levels at line {line}; the limit is set by {variable}.",
        "err.yaml_unreadable": "The file {file} cannot be read as YAML at line {line}: {reason}.",
        "row.count_range": "antal must be a whole number from 1 to {max}",
        "row.year_range": "the year must be a year from {min} to {max}, e.g. 2024",
        "row.weight_range": "the weight must be a positive number up to {max} (e.g. 1.25)",
        "row.date_range": "the date must lie between the years {min} and {max}",
        "row.coordinate_range": "the point lies outside Sweden; expected a coordinate in {crs}",
        "row.result_range": "the value must be a number from 0 to {max} (index 0–6 or percent) or a missing-value marker (XX, .., –)",
        "row.result_n_range": "the number of answers must be a whole number from 0 to {max}",
        "row.crime_value_range": "the value must be a number from 0 to {max} or a missing-value marker (XX, .., –)",
        "row.period_range": "the period must start with a year from {min} to {max}, e.g. 2024 or 2024 kv1",
        "err.places_outside": "Feature {feature} ({name}) in {file} lies outside Sweden; check the coordinate system (give it with --crs).",
        "err.places_population_range": "Feature {feature} ({name}): the population {value!r} in the field {field!r} must be a whole number from 0 to {max}.",
        "err.commitments_date_range": "{field} {value} must lie between the years {min} and {max}.",
        "reason.not_utf8": "the text is not encoded as UTF-8",
        "err.page_failed": (
            "Something went wrong while showing the page. Nothing has changed; reload the "
            "page, and tell the coordinator if the error comes back."
        ),
        # --- end files (en) ---
        # --- exports (en) ---
        "exports.sheet_stats": "Safety figures",
        "exports.sheet_rejected": "Rejected rows",
        "exports.xlsx_needs_out": "The Excel format is written to a file: give --out FILE.xlsx.",
        "err.already_imported": (
            "The file {file} is already imported (batch {batch_id}, same content). Nothing new was saved."
        ),
        "err.db_busy": (
            "The database is busy with another import; try again in a moment. Nothing was saved."
        ),
        "err.survey_duplicates": (
            "The file {file} holds {count} answers that are already in batch {batch_ids} "
            "({how}). Nothing was saved. If they are new answers, import anyway with --force "
            "(in the dashboard: confirm the import)."
        ),
        "exports.duplicates_by_id": "same respondent ids",
        "exports.duplicates_by_row": "identical rows: same year, place and answers",
        "exports.duplicates_forced": (
            "Warning: {count} of the answers were already in batch {batch_ids}; they were saved anyway (--force)."
        ),
        "upload.duplicates_import": "Import anyway (these are new answers)",
        "upload.duplicates_cancel": "Cancel",
        "upload.duplicates_cancelled": "The file {file} was not imported; nothing was saved.",
        "upload.download_rejected_xlsx": "Download rejected rows (Excel)",
        # --- end exports (en) ---
        # --- injection (en) ---
        # --- end injection (en) ---
        # --- privacy (en) ---
        "err.year_range": "The year {year} is outside {first}–{last}.",
        "err.period_order": "The period {start}–{end} ends before it begins.",
        "err.public_period": (
            "In the public view a period can only be a whole calendar year (--year 2024) or "
            "a whole calendar month (--from 2024-03-01 --to 2024-03-31), not {period}: "
            "otherwise small numbers could be worked out by comparing two periods."
        ),
        "err.public_period_year": (
            "In the public view, when incidents happen is shown only for a whole calendar "
            "year (--year 2024), not for {period}."
        ),
        "fmt.hidden_to_protect": "hidden to protect a small group",
        # --- end privacy (en) ---
    },
}

DEFAULT_LANG = "sv"


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """Look up ``key`` in ``lang`` (falling back to Swedish) and fill in ``values``.

    Examples
    --------
    >>> t("err.kommun_code", code="683")
    "Kommunkoden '683' är ogiltig: den ska vara fyra siffror, t.ex. 0683."
    """
    template = CATALOGUE.get(lang, {}).get(key) or CATALOGUE[DEFAULT_LANG][key]
    return template.format(**values)
