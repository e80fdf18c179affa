"""The atlas's vocabularies and table schemas, declared once.

Validation, the data dictionary on the site and the docs tests all read from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One key of a fixed vocabulary, with its labels and how the site draws it."""

    key: str
    zh: str
    en: str
    color: str = "#555555"
    icon: str = ""  # Font Awesome name for map markers / Material icon on pages
    note: str = ""


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    doc: str


CITIES = (
    Term("hohhot", "呼和浩特市", "Hohhot", "#c0392b", note="150100"),
    Term("baotou", "包头市", "Baotou", "#2471a3", note="150200"),
    Term("ordos", "鄂尔多斯市", "Ordos", "#b9770e", note="150600"),
    Term("ulanqab", "乌兰察布市", "Ulanqab", "#1e8449", note="150900"),
)

THEMES = (
    Term("transport", "交通互联", "Transport", "#1f77b4", "train", "铁路、公路、航空、综合交通"),
    Term("industry", "产业协作", "Industry", "#8c564b", "industry", "产业布局、园区、产业链"),
    Term("innovation", "科技创新", "Science & innovation", "#9467bd", "flask", "研发、创新平台、人才"),
    Term("digital", "数字经济", "Digital economy", "#17becf", "server", "数据中心、算力、智慧城市"),
    Term("energy", "能源水利", "Energy & water", "#ff7f0e", "bolt", "电力、新能源、氢能、水利"),
    Term("ecology", "生态环保", "Ecology & environment", "#2ca02c", "leaf", "生态保护、污染防治、绿色低碳"),
    Term("opening", "对外开放", "Opening-up & trade", "#d62728", "globe", "口岸、中欧班列、保税区、物流枢纽"),
    Term("culture-tourism", "文化旅游", "Culture & tourism", "#e377c2", "landmark", "文化、旅游、文物保护"),
    Term("public-services", "公共服务", "Public services", "#bcbd22", "people-group", "教育、医疗、养老、就业、社保"),
    Term("urban-rural", "城乡发展", "Urban & rural development", "#7f7f7f", "city", "城镇体系、新型城镇化、农牧业"),
    Term("governance", "体制机制", "Institutions & markets", "#393b79", "scale-balanced",
         "协同机制、市场一体化、营商环境"),
)

# Feature kinds, grouped into the map's layers; styles are shared by web maps and print exports. Colours are told
# apart under deuteranopia (tests/test_maps_web.py); kinds whose colours come closest also differ in point shape.
KINDS = (
    Term("hsr", "高铁/城际铁路", "High-speed & intercity rail", "#cc3311", "train", "rail"),
    Term("rail", "普速铁路改造", "Conventional rail upgrade", "#882255", "train", "rail"),
    Term("metro", "城市轨道交通", "Urban rail transit", "#ee6677", "train-subway", "rail"),
    Term("expressway", "高速公路", "Expressway", "#332288", "road", "roads"),
    Term("road", "国省干线/口岸通道", "Trunk road", "#1f78b4", "road", "roads"),
    Term("airport", "机场", "Airport", "#6a3d9a", "plane", "aviation"),
    Term("logistics", "物流枢纽/口岸", "Logistics hub / port", "#e69f00", "truck", "logistics"),
    Term("park", "公园/保护地", "Park", "#117733", "tree", "ecology"),
    Term("ecology", "山水林田湖草沙", "Natural feature", "#009e73", "water", "ecology"),
    Term("industry", "产业园区", "Industrial park", "#aa4499", "industry", "other"),
    Term("energy", "能源基地/工程", "Energy base & project", "#999933", "bolt", "energy"),
    Term("power", "电力外送通道/电网", "Power transmission", "#aa3377", "plug", "energy"),
    Term("water", "水利工程", "Water works", "#56b4e9", "droplet", "energy"),
    Term("zone", "经济区/示范区/新区", "Economic & demonstration zone", "#cc79a7", "city", "other"),
    Term("agri", "农牧林业基地", "Farming & forestry base", "#228833", "wheat-awn", "other"),
    Term("tourism", "旅游景区", "Tourist area", "#009988", "mountain-sun", "other"),
    Term("public-service", "公共服务设施", "Public service facility", "#5d3a1a", "hospital", "services"),
)

# The shape a kind's points are drawn with on web maps, in their legend and on the print images.
KIND_SHAPES = {  # kinds of one shape are at least ΔE 20 apart under deuteranopia (tests/test_maps_web.py)
    "hsr": "circle", "rail": "triangle", "metro": "diamond", "expressway": "circle", "road": "square",
    "airport": "triangle", "logistics": "square", "park": "diamond", "ecology": "triangle", "industry": "circle",
    "energy": "cross", "power": "cross", "water": "triangle", "zone": "diamond", "agri": "square",
    "tourism": "square", "public-service": "cross",
}

LAYERS = (
    Term("rail", "铁路", "Rail"),
    Term("roads", "公路", "Roads"),
    Term("aviation", "航空", "Aviation"),
    Term("ecology", "公园与生态", "Parks & ecology"),
    Term("logistics", "物流与口岸", "Logistics & ports"),
    Term("energy", "能源与水利", "Energy & water"),
    Term("other", "其他项目", "Other projects"),
    # last, so drawn on top: its few points sit among the many of the other layers in the cities' centres
    Term("services", "公共服务", "Public services"),
)

# How each document states a project's progress; `dash` marks not-yet-built on maps and prints.
FEATURE_STATUSES = (
    Term("proposed", "谋划推动", "Proposed", icon="dash", note="研究、谋划、争取、推动"),
    Term("preliminary", "前期工作", "Preliminary work", icon="dash", note="开展/加快前期工作"),
    Term("construction", "实施建设", "Under construction", note="实施、建设、开工、改造"),
    Term("completed", "建成投用", "Completed", note="建成、通车、投运"),
    Term("operating", "运营提升", "Operating / upgrading", note="已有设施的运营、扩能、提升"),
    Term("protection", "保护修复", "Protection & restoration", note="保护、治理、修复"),
)

# How far a project has come, as the maps draw it: from a progress event's stage when one is recorded
# (geodata/progress.csv), otherwise from what the latest document states (FEATURE_STATUSES, STATUS_PHASES).
PHASES = (
    Term("built", "已建成", "Built / open", "#1b7837", note="建成、开通、投运或完成；已有设施"),
    Term("construction", "在建", "Under construction", "#e08214", note="已开工，或部分建成、部分开通"),
    Term("planned", "规划", "Planned", "#8c96a0", note="前期工作或获批，尚未开工"),
)
# The phase each document status draws as when no progress event is recorded.
STATUS_PHASES = {"proposed": "planned", "preliminary": "planned", "construction": "construction",
                 "completed": "built", "operating": "built", "protection": "built"}


@dataclass(frozen=True)
class Stage:
    """One stage a progress event records (geodata/progress.csv `stage`, written in Chinese as staff say it)."""

    key: str
    en: str
    rank: int | None  # ordered stages; None for a pause or an adjustment, which keep the phase reached before
    phase: str | None  # the PHASES key it draws as; None: the phase reached before
    note: str = ""


STAGES = (
    Stage("前期工作", "Preliminary work", 1, "planned", "可研、规划、用地等前期工作的节点"),
    Stage("获批", "Approved", 2, "planned", "可研、规划或称号获得批复"),
    Stage("开工", "Construction started", 3, "construction", "开工建设"),
    Stage("部分建成", "Partly completed", 4, "construction", "项目的一部分建成"),
    Stage("部分开通", "Partly opened", 4, "construction", "线路的一段开通运营"),
    Stage("建成投运", "Completed and in service", 5, "built", "设施建成并投入使用"),
    Stage("全线开通", "Fully opened", 5, "built", "线路全线开通运营"),
    Stage("完成", "Done", 5, "built", "举措所说的事已经办成，如文件已出台"),
    Stage("暂缓", "Suspended", None, None, "项目暂停或推迟"),
    Stage("调整", "Adjusted", None, None, "项目的内容、走向或时间作了调整"),
)
BUILT_RANK = 5

# A measure's deadline as its card states it, from the deadline and the progress events on the measure. A deadline
# without a completion record never reads as not done: the atlas may simply not have recorded it.
DEADLINE_STATES = (
    Term("open", "未到期", "Not yet due", "#9ecae1", note="时限未到"),
    Term("unrecorded", "已到期，尚无完成记录", "Due; no completion recorded", "#8c96a0",
         note="时限已过，本图集尚未记录到完成情况（不等于没有完成）"),
    Term("on-time", "按期完成", "Done on time", "#1b7837", note="完成记录的日期不晚于时限"),
    Term("late", "逾期完成", "Done after the deadline", "#e08214", note="完成记录的日期晚于时限"),
    Term("done", "已完成", "Done", note="没有具体时限的举措有了完成记录"),
)


# The verb table: a statement's `status` follows the verb or phrase that governs the project in its `quote`
# (read in simplified characters). The first entry found in the quote wins, so the specific phrases come first;
# "…" stands for any words between. A statement that departs from it says why in `reason`.
@dataclass(frozen=True)
class Verb:
    phrase: str
    status: str
    note: str = ""


VERBS = (
    Verb("前期工作", "preliminary", "开展/加快/推动…前期工作"),
    Verb("纳入…规划", "proposed", "推动…纳入国家规划"),
    Verb("规划建设", "proposed", "规划建设：尚在规划"),
    Verb("布局建设", "proposed", "布局建设：尚在布局"),
    Verb("申建", "proposed"),
    Verb("申报", "proposed"),
    Verb("创建", "proposed", "创建示范区/景区等称号"),
    Verb("争取", "proposed"),
    Verb("组建", "construction", "组建研究院等（须在“研究”之前）"),
    Verb("研究", "proposed"),
    Verb("谋划", "proposed"),
    Verb("设立", "proposed", "设立新的开发区等"),
    Verb("建成", "completed"),
    Verb("通车", "completed"),
    Verb("投运", "completed"),
    Verb("封关运行", "operating", "综合保税区封关运行：开始运营"),
    Verb("提质进位", "operating", "已有高新区提质进位"),
    Verb("提档升级", "operating", "已有示范区提档升级"),
    Verb("开发…资源", "operating", "开发已有能源基地的资源"),
    Verb("保护", "protection", "山水林田湖草沙的保护"),
    Verb("治理", "protection"),
    Verb("修复", "protection"),
    Verb("治沙", "protection"),
    Verb("补水", "protection", "湖泊生态补水"),
    Verb("人口…转移", "protection", "生态脆弱地区人口向城镇转移，减轻生态压力"),
    Verb("推广…经验", "operating", "推广已有试点的经验"),
    Verb("深化…建设", "construction", "深化…园区建设：继续建设"),
    Verb("推进…工程", "construction", "推进…工程：工程在建"),
    Verb("除险加固", "construction", "病险水库除险加固"),
    Verb("依托…打造", "construction", "依托的设施只是被提及（relation = mention），打造的对象在建设"),
    Verb("合作共建", "construction", "合作共建（须在“合作”之前）"),
    Verb("实施", "construction"),
    Verb("建设", "construction", "建设、推进/推动/加快…建设"),
    Verb("开工", "construction"),
    Verb("改造", "construction"),
    Verb("扩建", "construction"),
    Verb("打造", "construction"),
    Verb("构建", "construction"),
    Verb("培育", "construction"),
    Verb("完善", "construction", "完善…路网等配套"),
    Verb("推动", "proposed", "推动…（不带建设）"),
    Verb("推进", "proposed", "推进…（不带建设）"),
    Verb("深化", "operating", "深化已有的合作、试点"),
    Verb("发挥", "operating"),
    Verb("优化", "operating"),
    Verb("提升", "operating"),
    Verb("出台", "operating", "出台支持意见"),
    Verb("勘探开发", "operating", "已有气田加大勘探开发"),
    Verb("联通", "operating", "已有口岸的设施联通"),
    Verb("运营", "operating"),
    Verb("合作", "operating", "已有设施开展合作"),
    Verb("先行先试", "operating"),
    Verb("为抓手", "operating", "以已有园区为抓手"),
    Verb("共建", "construction", "两方共建（不带别的动词时）"),
    Verb("落户", "proposed", "支持…落户：尚待落地（不带别的动词时）"),
)


@dataclass(frozen=True)
class NameForm:
    """One name written out (`long`) or shortened (`short`) in the documents."""

    long: str
    short: str
    note: str = ""


# A statement's quote must name its project (rule quote-without-name). Both are compared in simplified characters
# with each `long` written `short`, in this order; place names and words readers shorten (呼市, 和林, 综保区) are in
# geodata/aliases.csv and count as well.
NAME_FORMS = (
    NameForm("高速铁路", "高铁"),
    NameForm("高速公路", "高速"),
    NameForm("跨境电子商务", "跨境电商"),
    NameForm("综合实验区", "综合试验区", "呼和浩特市实施意见（2019）的写法"),
    NameForm("综合试验区", "综试区"),
    NameForm("内蒙古西部", "蒙西"),
)

RELATIONS = (
    Term("about", "关于该项目", "About the project", note="条款说的就是这个项目：其进展计入该项目的最新状态"),
    Term("mention", "顺带提及", "Mentions it",
         note="条款说的是别的事（如通往它的道路、依托它的片区），只是点到它的名字"),
)

# Implementation status recorded by staff in measures.csv (never taken from the documents).
MEASURE_STATUSES = (
    Term("in-progress", "推进中", "In progress"),
    Term("done", "已完成", "Done"),
    Term("stalled", "受阻", "Stalled"),
)

DEADLINE_WORDS = {"ongoing": ("持续推进", "Ongoing"), "long-term": ("长期坚持", "Long-term")}

# What a date stated in a clause's own text is (geodata/stated_deadlines.csv), as its card labels it.
STATED_KINDS = (
    Term("works", "文中时限", "Deadline stated in the text", note="原文要求在此之前建成、通车、投用或完成"),
    Term("target", "文中目标", "Target year stated in the text", note="原文要求到此时达到的目标"),
)

MEASURE_COLUMNS = (
    Column("id", True, "稳定、唯一的 ASCII 编号，永不复用，如 `r23-01`。Stable unique ASCII id, never reused."),
    Column("doc", True, "来源文件的键，见“来源文件”。Key of the source document."),
    Column("clause", True,
           "条款编号，照原文印刷，如 `（二）`、`(二)`、`9.`、`附件 31`、`第六章第一节`。Clause number as printed."),
    Column("section", False, "条款所在的标题，照原文。The heading the clause sits under."),
    Column("title", True, "简短中文标题：原文引领句，否则不超过 20 字的概括。Short Chinese title."),
    Column("title_en", False, "标题的英文，本图集所译，不是官方译文；留空时英文版显示中文标题，校验给出提醒。English "
           "rendering of the title (the atlas's own, not official); where it is empty the English edition shows the"
           " Chinese title."),
    Column("text", True, "条款原文，逐字照录（仅修复断行和 PDF 多余空格）。The clause text, verbatim."),
    Column("themes", True, "主题键，以 `;` 分隔。`;`-separated theme keys."),
    Column("cities", True, "涉及城市：`hohhot;baotou;ordos;ulanqab` 中的若干个。Cities the measure concerns."),
    Column("units", False,
           "责任单位，照原文，以 `;` 分隔；原文共用的后缀分别补全（`托克托縣、清水河縣人民政府` 写作"
           " `托克托縣人民政府;清水河縣人民政府`）；牵头/负责以外的职责照原文用全角括号写在该单位后，如"
           " `市有關部門（配合）`。Responsible units as printed, `;`-separated; a shared suffix is written out on each"
           " unit; a role other than lead/responsible follows its unit in full-width brackets."),
    Column("deadline", False, "完成时限：`YYYY-MM`、`ongoing`（持续推进）、`long-term`（长期坚持）或留空。Deadline."),
    Column("implements", False, "所落实的上级举措编号，以 `;` 分隔。Ids of the higher-level measures carried out."),
    Column("features", False, "条款点名的地图要素编号（见 geodata/features.csv），以 `;` 分隔。Feature ids named."),
    Column("status", False, "工作人员记录的落实状态：`in-progress`、`done`、`stalled` 或留空。Recorded status."),
)

FEATURE_COLUMNS = (
    Column("id", True, "要素编号，ASCII，如 `hsr-baotou-yinchuan`。Feature id."),
    Column("kind", True, "类型：" + "、".join(f"`{k.key}` {k.zh}" for k in KINDS) + "。Kind."),
    Column("name_zh", True, "中文名称。Chinese name."),
    Column("name_en", True, "英文名称。English name."),
    Column("cities", False,
           "途经/所在城市，以 `;` 分隔，须与几何一致；仅 `unlocated` 可留空。Cities the feature touches."),
    Column("geometry", True, "`line`（按途经点连线）、`point`（单点）、`points`（分布在几处的项目，每处一个点）、"
           "`shape`（geodata/shapes/<id>.geojson，"
           "如 QGIS 绘制的实测走向或范围）或 `unlocated`（位置未核实，不上图）。How the feature is drawn."),
    Column("precision", True, "`schematic`（示意）或 `surveyed`（实测）。Precision of the geometry."),
    Column("note", False, "备注。Note."),
)

GAZETTEER_COLUMNS = (
    Column("id", True, "地名编号，ASCII。Place id."),
    Column("name_zh", True, "中文地名。Chinese name."),
    Column("name_en", True, "英文地名。English name."),
    Column("lon", True, "经度（WGS-84，十进制度）。Longitude."),
    Column("lat", True, "纬度（WGS-84，十进制度）。Latitude."),
    Column("adcode", False, "所在旗县区的行政区划代码；区域外留空。County adcode."),
    Column("source", True, "坐标来源：`geonames:<id>`、`county-seat:<adcode>`（取 seats.csv 中该旗县区政府驻地的"
           "坐标）或 `manual:<说明>`。Where the position comes from."),
    Column("precision_m", True, "估计误差（米）。Estimated error in metres."),
)

SEAT_COLUMNS = (
    Column("adcode", True, "旗县区的行政区划代码，每个旗县区一行。County adcode, one row per county."),
    Column("county", True, "旗县区名称，与边界文件一致。County name as in the boundaries."),
    Column("seat_zh", True, "政府驻地（旗县政府所在的镇；市辖区为区政府驻地）。The seat town or district seat."),
    Column("seat_en", True, "驻地的英文名。English name of the seat."),
    Column("lon", True, "驻地经度（WGS-84）。Longitude of the seat."),
    Column("lat", True, "驻地纬度（WGS-84）。Latitude of the seat."),
    Column("source", True, "坐标来源：`geonames:<id>` 或 `manual:<出处>`。Where the position comes from."),
    Column("precision_m", True, "估计误差（米）。Estimated error in metres."),
)

WAYPOINT_COLUMNS = (
    Column("feature", True, "要素编号。Feature id."),
    Column("seq", True, "顺序号 1、2、3…。Order along the route."),
    Column("place", True, "地名编号（gazetteer.csv）。Gazetteer id."),
)

STATEMENT_COLUMNS = (
    Column("feature", True, "要素编号。Feature id."),
    Column("measure", True, "点名该要素的举措编号。Measure id."),
    Column("status", True, "该文件所述进展：" + "、".join(f"`{s.key}` {s.zh}" for s in FEATURE_STATUSES) + "。"
           "The progress the document states."),
    Column("quote", True, "原文中说明进展的短语（含支配该项目的动词），须出现在该举措原文中。Verbatim phrase."),
    Column("relation", True, "`about`（条款说的就是该项目）或 `mention`（只是顺带提及）；"
           "只有 `about` 的进展计入项目状态。About the project, or only mentions it."),
    Column("reason", False, "进展与动词表不符时说明理由，否则留空。Why the status departs from the verb table."),
)

ALIAS_COLUMNS = (
    Column("alias", True, "读者常用的简称、别称或旧称，如 `包银高铁`、`呼市`、`准旗`。The short name readers type."),
    Column("target", True, "它所指的全称，照文件或图集的写法，如 `包头至银川高铁`、`呼和浩特市`、`准格尔旗`；"
           "不填 `feature` 时，全称须出现在举措、项目、地名或旗县区名称中。The full form it stands for."),
    Column("feature", False,
           "所指的规划项目编号（geodata/features.csv）；指地名或通用词时留空。Feature id, if a project."),
)

STATED_DEADLINE_COLUMNS = (
    Column("measure", True, "举措编号（`measures.csv` 的 `id`）。Measure id."),
    Column("deadline", True,
           "条款原文自己写明的时限：`YYYY` 或 `YYYY-MM`（确保2023年建成投用 写作 `2023`）。不同于 `measures.csv` 的"
           " `deadline`（文件另列的“完成时限”栏）。Deadline or target date the clause's own text states."),
    Column("kind", True,
           "、".join(f"`{k.key}`（{k.zh}：{k.note}）" for k in STATED_KINDS) + "。Works deadline or target."),
    Column("quote", True,
           "原文中写明时限的短语，逐字照录，须写出该年份（及月份）；“年内”“用5年左右时间”按文件年份推算。"
           "Verbatim phrase stating the date."),
)

PROGRESS_COLUMNS = (
    Column("date", True, "事件发生的日期：`YYYY-MM-DD`，只知道月份时写 `YYYY-MM`。Date of the event."),
    Column("target", True, "项目编号（geodata/features.csv）或举措编号（measures.csv），几项同时发生时以 `;` 分隔。"
           "Project or measure ids."),
    Column("stage", True, "阶段：" + "、".join(f"`{s.key}`（{s.note}）" for s in STAGES) + "。Stage reached."),
    Column("summary", True, "一句话概括，用本图集自己的话写，不照抄来源的句子（不超过 60 字）。One short line in our"
           " own words."),
    Column("publisher", True, "来源的发布者，如 新华社、人民网、内蒙古自治区交通运输厅。Publisher of the source."),
    Column("title", True, "来源的标题，照录。Title of the source."),
    Column("published", False, "来源的发布日期 `YYYY-MM-DD` 或 `YYYY-MM`。Publication date of the source."),
    Column("url", True, "来源网址，须以 `https://` 或 `http://` 开头。Address of the source."),
    Column("recorded", True, "工作人员录入这一行的日期 `YYYY-MM-DD`。When staff recorded the row."),
    Column("reason", False, "已建成或已开通的项目之后又记了较早的阶段时，说明原因；否则留空。Why a later event steps"
           " back."),
)

TABLES = {
    "measures.csv": MEASURE_COLUMNS,
    "geodata/features.csv": FEATURE_COLUMNS,
    "geodata/gazetteer.csv": GAZETTEER_COLUMNS,
    "geodata/seats.csv": SEAT_COLUMNS,
    "geodata/waypoints.csv": WAYPOINT_COLUMNS,
    "geodata/statements.csv": STATEMENT_COLUMNS,
    "geodata/aliases.csv": ALIAS_COLUMNS,
    "geodata/stated_deadlines.csv": STATED_DEADLINE_COLUMNS,
    "geodata/progress.csv": PROGRESS_COLUMNS,
}

# Region bounds (lon/lat) used to catch swapped or foreign coordinates; generous around the four cities.
REGION_BOUNDS = (104.0, 34.0, 116.0, 48.5)
LIST_SEPARATOR = ";"


def by_key(terms: tuple[Term, ...]) -> dict[str, Term]:
    return {term.key: term for term in terms}

# The downloads offered under each map (file suffix, labels); the page templates list them in this order.
DOWNLOAD_TERMS = (
    Term("html", "单文件 HTML（离线可用）", "Single-file HTML (works offline)"),
    Term("png", "PNG（300 dpi，印刷）", "PNG (300 dpi, for print)"),
    Term("report.png", "PNG（1600 像素宽，报告用）", "PNG (1600 px wide, for reports)"),
    Term("svg", "SVG（文字可编辑）", "SVG (editable text)"),
)
DOWNLOADS = [(term.key, term.zh) for term in DOWNLOAD_TERMS]
