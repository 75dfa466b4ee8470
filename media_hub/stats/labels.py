"""Every word a report shows, in the reader's language (fr, ar, en), and its numbers and dates
formatted for that locale by Babel: the tables, the HTML page, the workbook and the chart all
take their text from here, so none keeps English behind."""

from __future__ import annotations

from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_percent, parse_pattern

from media_hub.errors import UsageError

LANGUAGES = ("fr", "ar", "en")
RTL = frozenset({"ar"})

TEXTS: dict[str, dict[str, str]] = {
    "title": {"en": "Statistics by {by}, {period}", "fr": "Statistiques par {by}, {period}",
              "ar": "الإحصاءات حسب {by}، {period}"},
    "by.playlist": {"en": "playlist", "fr": "playlist", "ar": "قائمة التشغيل"},
    "by.series": {"en": "series", "fr": "série", "ar": "السلسلة"},
    "by.topic": {"en": "topic", "fr": "thème", "ar": "الموضوع"},
    "by.asset": {"en": "item", "fr": "contenu", "ar": "المحتوى"},
    "none.series": {"en": "(no series)", "fr": "(sans série)", "ar": "(بلا سلسلة)"},
    "none.topic": {"en": "(no topic)", "fr": "(sans thème)", "ar": "(بلا موضوع)"},
    "none.playlist": {"en": "(deleted)", "fr": "(supprimée)", "ar": "(محذوفة)"},
    "period.range": {"en": "{start} to {end}", "fr": "du {start} au {end}",
                     "ar": "من {start} إلى {end}"},
    "period.since": {"en": "since {start}", "fr": "depuis le {start}", "ar": "منذ {start}"},
    "period.until": {"en": "until {end}", "fr": "jusqu'au {end}", "ar": "حتى {end}"},
    "period.all": {"en": "all pulls", "fr": "tous les relevés", "ar": "كل السحوبات"},
    "pulls": {"en": "Lifetime totals and SlideShare: the pulls of {start} and {end}, nearest the "
                    "period's ends",
              "fr": "Totaux cumulés et SlideShare : relevés du {start} et du {end}, les plus "
                    "proches des bornes de la période",
              "ar": "المجاميع التراكمية وSlideShare: سحب {start} وسحب {end}، الأقرب إلى طرفي "
                    "الفترة"},
    "pulls.from_zero": {"en": "Lifetime totals and SlideShare: the pull of {end}, counted from "
                              "zero (no earlier pull)",
                        "fr": "Totaux cumulés et SlideShare : relevé du {end}, compté depuis "
                              "zéro (aucun relevé antérieur)",
                        "ar": "المجاميع التراكمية وSlideShare: سحب {end}، محسوبة من الصفر "
                              "(لا سحب قبله)"},
    "pulls.outside": {"en": "No pull falls near this period: SlideShare's views in it are not "
                            "known",
                      "fr": "Aucun relevé près de cette période : les vues SlideShare n'y sont "
                            "pas connues",
                      "ar": "لا سحب قرب هذه الفترة: مشاهدات SlideShare فيها غير معروفة"},
    "daily": {"en": "YouTube: the Analytics days of the period summed ({days} days stored)",
              "fr": "YouTube : jours Analytics de la période additionnés ({days} jours "
                    "enregistrés)",
              "ar": "YouTube: مجموع أيام Analytics في الفترة ({days} يومًا مسجلًا)"},
    "compared": {"en": "Compared with {period}", "fr": "Comparé à la période {period}",
                 "ar": "مقارنة بالفترة {period}"},
    "table.totals": {"en": "All published items", "fr": "Tous les contenus publiés",
                     "ar": "كل المحتويات المنشورة"},
    "table.groups": {"en": "Views in the period by {by}", "fr": "Vues de la période par {by}",
                     "ar": "المشاهدات في الفترة حسب {by}"},
    "table.top": {"en": "Top items", "fr": "Contenus les plus vus",
                  "ar": "المحتويات الأكثر مشاهدة"},
    "table.analytics": {"en": "YouTube Analytics, the playlists' days summed",
                        "fr": "YouTube Analytics, jours des playlists additionnés",
                        "ar": "YouTube Analytics، مجموع أيام قوائم التشغيل"},
    "col.platform": {"en": "platform", "fr": "plateforme", "ar": "المنصة"},
    "col.name": {"en": "name", "fr": "nom", "ar": "الاسم"},
    "col.assets": {"en": "items", "fr": "contenus", "ar": "المحتويات"},
    "col.views_lifetime": {"en": "views (lifetime)", "fr": "vues (cumul)",
                           "ar": "المشاهدات (الإجمالي)"},
    "col.period_views": {"en": "{platform} views in the period",
                         "fr": "vues {platform} de la période",
                         "ar": "مشاهدات {platform} في الفترة"},
    "col.videos_views": {"en": "views of the playlist's videos (anywhere)",
                         "fr": "vues des vidéos de la playlist (partout)",
                         "ar": "مشاهدات فيديوهات القائمة (في أي مكان)"},
    "col.playlist_views": {"en": "views inside the playlist (playlistViews)",
                           "fr": "vues dans la playlist (playlistViews)",
                           "ar": "المشاهدات داخل القائمة (playlistViews)"},
    "col.playlist_starts": {"en": "playlist starts (playlistStarts)",
                            "fr": "lancements de la playlist (playlistStarts)",
                            "ar": "مرات بدء القائمة (playlistStarts)"},
    "col.previous": {"en": "{platform}, {period}", "fr": "{platform}, {period}",
                     "ar": "{platform}، {period}"},
    "col.change": {"en": "change", "fr": "évolution", "ar": "التغير"},
    "col.change_percent": {"en": "change %", "fr": "évolution %", "ar": "التغير %"},
    "col.days": {"en": "days", "fr": "jours", "ar": "الأيام"},
    "col.watch_hours": {"en": "watch hours", "fr": "heures vues", "ar": "ساعات المشاهدة"},
    "col.average_view": {"en": "average view (s)", "fr": "durée moyenne (s)",
                         "ar": "متوسط المشاهدة (ث)"},
    "col.likes": {"en": "likes", "fr": "j'aime", "ar": "الإعجابات"},
    "col.comments": {"en": "comments", "fr": "commentaires", "ar": "التعليقات"},
    "col.downloads": {"en": "downloads", "fr": "téléchargements", "ar": "التنزيلات"},
    "col.favorites": {"en": "favourites", "fr": "favoris", "ar": "المفضلة"},
    "col.rank": {"en": "#", "fr": "n°", "ar": "الرتبة"},
    "col.title": {"en": "title", "fr": "titre", "ar": "العنوان"},
    "col.views": {"en": "views", "fr": "vues", "ar": "المشاهدات"},
    "col.period_change": {"en": "views in the period", "fr": "vues de la période",
                          "ar": "المشاهدات في الفترة"},
    "table.counters": {"en": "{platform}, lifetime totals by {by}",
                       "fr": "{platform}, totaux cumulés par {by}",
                       "ar": "{platform}، المجاميع التراكمية حسب {by}"},
    "counter.views": {"en": "{platform} views", "fr": "vues {platform}",
                      "ar": "مشاهدات {platform}"},
    "counter.unique_viewers": {"en": "{platform} unique viewers",
                               "fr": "spectateurs uniques {platform}",
                               "ar": "المشاهدون الفريدون على {platform}"},
    "counter.average_watch_seconds": {"en": "{platform} average watch (s)",
                                      "fr": "durée moyenne de visionnage {platform} (s)",
                                      "ar": "متوسط مدة المشاهدة على {platform} (ث)"},
    "counter.reactions": {"en": "{platform} reactions", "fr": "réactions {platform}",
                          "ar": "التفاعلات على {platform}"},
    "counter.comments": {"en": "{platform} comments", "fr": "commentaires {platform}",
                         "ar": "التعليقات على {platform}"},
    "counter.shares": {"en": "{platform} shares", "fr": "partages {platform}",
                       "ar": "المشاركات على {platform}"},
    "chart.title": {"en": "{measure} by {by}, {period}", "fr": "{measure} par {by}, {period}",
                    "ar": "{measure} حسب {by}، {period}"},
    "chart.cumulative": {"en": "Views of the playlists' videos, cumulative (YouTube Analytics)",
                         "fr": "Vues des vidéos des playlists, cumulées (YouTube Analytics)",
                         "ar": "مشاهدات فيديوهات القوائم، تراكمية (YouTube Analytics)"},
    "chart.lifetime": {"en": "Views (lifetime, at each pull)",
                       "fr": "Vues (cumul, à chaque relevé)",
                       "ar": "المشاهدات (الإجمالي، عند كل سحب)"},
    "chart.decks": {"en": "SlideShare views in the period (pulls)",
                    "fr": "Vues SlideShare de la période (relevés)",
                    "ar": "مشاهدات SlideShare في الفترة (السحوبات)"},
    "chart.axis_day": {"en": "day", "fr": "jour", "ar": "اليوم"},
    "chart.axis_views": {"en": "views", "fr": "vues", "ar": "المشاهدات"},
    "chart.empty": {"en": "no data in the period", "fr": "aucune donnée sur la période",
                    "ar": "لا بيانات في هذه الفترة"},
    "chart.heading": {"en": "Views over time", "fr": "Évolution des vues",
                      "ar": "تطور المشاهدات"},
    "chart.not_drawn": {"en": "not drawn: {count} playlist(s) without daily views nor a pull "
                              "near the period",
                        "fr": "non tracées : {count} playlist(s) sans vues quotidiennes ni "
                              "relevé près de la période",
                        "ar": "غير مرسومة: {count} قائمة بلا مشاهدات يومية ولا سحب قرب الفترة"},
    "chart.shown": {"en": "{shown} of {total} shown (most views)",
                    "fr": "{shown} sur {total} affichés (les plus vus)",
                    "ar": "عرض {shown} من {total} (الأكثر مشاهدة)"},
}  # fmt: skip


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise UsageError("--language", f"{language!r}: give one of {', '.join(LANGUAGES)}")
    return language


def text(language: str, key: str, **values: object) -> str:
    """The text `key` in `language` (English when a language lacks it), filled in."""
    texts = TEXTS[key]
    return texts.get(language, texts["en"]).format(**values)


def number(value: float | None, language: str) -> str:
    """A count as the locale writes it ("1 234" in French); nothing for None."""
    if value is None:
        return ""
    pattern, locale = _decimal(language)
    return str(pattern.apply(value, locale))


@cache
def _decimal(language: str) -> tuple[NumberPattern, Locale]:
    """The pattern parsed once (format_decimal parses it at each call: 0.2 ms)."""
    return parse_pattern("#,##0.#"), Locale.parse(language)


def signed(value: float | None, language: str) -> str:
    """A change with its sign, "+1 234" or "-56"."""
    if value is None:
        return ""
    shown = number(abs(value), language)
    return f"+{shown}" if value > 0 else (f"-{shown}" if value < 0 else shown)


def percent(value: float | None, language: str) -> str:
    if value is None:
        return ""
    return format_percent(value, format="+#,##0.0%;-#,##0.0%", locale=language)


def day(value: date | None, language: str) -> str:
    """A date as the locale writes it in full ("1 novembre 2026")."""
    return "" if value is None else format_date(value, "long", locale=language)
