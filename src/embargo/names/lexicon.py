"""Small multilingual word lists: weak words, abbreviations, generic business words.

Generic business words ("trading", "סחר", "ကုန်သွယ်ရေး", "торговый", "商事") map to
one language-independent concept so that a translated company name still aligns
word by word. These are vocabulary, not names: they generalise to any company.
"""

from __future__ import annotations

# Words that never identify a party on their own.
STOPWORDS = frozenset(
    ["messrs", "attn", "and", "et", "e", "y", "i", "in", "und", "the", "of", "de", "du", "des", "di", "da", "del", "della", "do", "dos", "das", "la", "le", "les", "el", "al", "van", "von", "der", "den", "wa", "na", "ve", "ha"]
)

TITLES = frozenset(
    ["mr", "mrs", "ms", "miss", "messrs", "dr", "prof", "sir", "sheikh", "shaikh", "haji", "hajji", "president", "presidente", "prezident", "prasident", "predsjednik", "presedintele", "presiden", "elnok", "prezydent", "general", "gen", "col", "colonel", "capt", "captain", "lt", "maj", "major", "adm", "admiral", "mullah", "maulana", "maulvi", "daw"]
)

VESSEL_PREFIXES = frozenset(["mv", "mt", "ms", "ss", "fv", "msv", "tb", "nm", "mts", "my", "sv", "rv", "mb", "mf", "tss"])

# Legal-form words that rigour's table may miss (all weak).
LEGAL_WORDS = frozenset(
    ["ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "co", "company", "plc", "pvt", "private", "pty", "gmbh", "ag", "kg", "ohg", "ug", "sa", "sas", "sarl", "suarl", "sasu", "spa", "srl", "snc", "sapa", "sl", "slu", "bv", "nv", "oy", "ab", "as", "asa", "aps", "kk", "yk", "doo", "dd", "dno", "sp", "zoo", "spzoo", "spk", "ska", "spj", "j", "k", "z", "o", "ooo", "zao", "oao", "pao", "ao", "tov", "pat", "prat", "tdv", "fop", "ip", "llp", "lp", "lda", "ltda", "sac", "saa", "cv", "sdn", "bhd", "berhad", "sendirian", "pte", "pt", "tbk", "jsc", "pjsc", "cjsc", "ojsc", "sal", "fze", "fzco", "fzc", "llc", "est", "establishment", "ets", "etablissements", "kft", "zrt", "bt", "nyrt", "rt", "uab", "ou", "oue", "sia", "spol", "sro", "as", "akciova", "cia", "ca", "scs", "sca", "gie", "eurl", "sci", "coop", "cooperativa", "cooperative", "societa", "societe", "company", "kabushiki", "kaisha", "yugen", "godo", "gomei", "goshi", "perseroan", "terbatas", "commanditaire", "vennootschap", "sendirian", "spolka", "ograniczona", "odpowiedzialnoscia", "komandytowa", "komandytowo", "akcyjna", "jawna", "korlatolt", "felelossegu", "tarsasag", "dooel", "ad", "ead", "eood", "public", "joint", "stock", "liability", "closed", "open"]
)

# Abbreviations written out (after ASCII folding, dots removed).
ABBREVIATIONS = {
    "intl": "international", "int": "international", "svcs": "services", "svc": "services",
    "mfg": "manufacturing", "bros": "brothers", "bro": "brother", "assoc": "associates",
    "mgmt": "management", "engg": "engineering", "eng": "engineering", "ind": "industria",
    "com": "comercio", "cia": "compania", "flli": "fratelli", "comm": "commendator",
    "dept": "department", "natl": "national", "tech": "technology", "sped": "spedizioni",
    "przeds": "przedsiebiorstwo", "handl": "handlowe",
    "hldgs": "holdings", "invest": "investment", "trdg": "trading",
    "ent": "enterprises", "ents": "enterprises", "agy": "agency", "gen": "general",
}

# concept -> words (ASCII words in several languages, and native-script words).
_CONCEPTS: dict[str, str] = {
    "trade": "trade trading traders trader trades commerce commercial commercio negoce "
    "handel handels torgovy torgovaya torgovyi torgovyy sahar shoji סחר ကုန်သွယ်ရေး "
    "торговый торговая торговля 商事 贸易 貿易 무역 تجارة",
    "industry": "industry industries industrial industria industrie industries taasiyot "
    "promyshlenny kogyo sangyo תעשיות תעשייה စက်မှုလုပ်ငန်း промышленный 工業 工业 产业 "
    "産業 공업 산업 صناعة",
    "shipping": "shipping ship navigation spedizioni sfanut sfanot kaiun ספנות "
    "ရေကြောင်းပို့ဆောင်ရေး 海運 航运 해운 судоходство",
    "transport": "transport transports transportes trasporti transporters haulage "
    "trucking hovalot הובלות הובלה transportation 运输 運輸 운송 транспорт",
    "logistics": "logistics logistic logistika logistique logistica לוגיסטיקה "
    "ပို့ဆောင်ရေး 物流 물류 логистика",
    "marketing": "marketing shivuk שיווק",
    "metal": "metal metals metali metagh metalli metaux metall מתכת 金属 금속 металл",
    "products": "products product produce produkty prodotti produits מוצרי מוצרים 製品 制品",
    "paper": "paper נייר 紙 纸",
    "sons": "sons ובניו ובנו fils figli synowie",
    "brothers": "brothers bros freres fratelli hermanos האחים אחים",
    "systems": "systems system מערכות",
    "electric": "electric electrical electricals elektro חשמל "
    "လျှပ်စစ်ပစ္စည်း 電機 电气 電気",
    "control": "control ובקרה בקרה",
    "works": "works מפעלי מפעל 製作所",
    "marble": "marble שיש",
    "building": "building בניין",
    "materials": "materials חומרי",
    "fresh": "fresh טרייה",
    "parts": "parts חלקים",
    "precision": "precision מדויקים 精密",
    "food": "food foods foodstuff foodstuffs מזון စားသောက်ကုန် 食品",
    "kosher": "kosher כשר",
    "plastic": "plastic plastics פלסטיק ပလတ်စတစ် 塑料 プラスチック",
    "agencies": "agencies agency סוכנויות",
    "holdings": "holdings holding החזקות ホールディングス 控股 홀딩스 холдинг",
    "group": "group groupe gruppo grupo קבוצת ကုမ္ပဏီများအုပ်စု 集团 集團 그룹 группа",
    "services": "services service servizi servicios שירותי ဝန်ဆောင်မှု 服务 サービス",
    "equipment": "equipment ציוד 设备",
    "medical": "medical רפואי 医疗",
    "pharma": "pharmaceutical pharmaceuticals pharma ဆေးဝါး 制药 製薬 제약",
    "garment": "garment garments apparel အထည်ချုပ် 服装",
    "machinery": "machinery machines စက်ပစ္စည်း 机械 機械 기계",
    "ceramic": "ceramic ceramics ကြွေပြား 陶瓷",
    "steel": "steel သံမဏိ 钢铁 鉄鋼 철강 сталь",
    "tea": "tea လက်ဖက်ခြောက် 茶",
    "water": "water သောက်ရေသန့်",
    "timber": "timber wood lumber သစ်လုပ်ငန်း 木材",
    "fishery": "fishery fisheries fishing ငါးလုပ်ငန်း 水産 水产 수산",
    "cement": "cement ဘိလပ်မြေ 水泥 セメント",
    "petroleum": "petroleum oil_gas ရေနံ 石油 석유",
    "agriculture": "agriculture agricultural agro စိုက်ပျိုးရေး 农业 農業 농업",
    "construction": "construction construcciones costruzioni ဆောက်လုပ်ရေး 建設 建设 건설 "
    "строительство",
    "printing": "printing printers דפוס ပုံနှိပ်တိုက် 印刷",
    "shipyard": "shipyard shipbuilding သင်္ဘောကျင်း 造船 조선",
    "marine": "marine maritime ימית 海洋 해양 морской",
    "ocean": "ocean 远洋 遠洋",
    "rice_mill": "ricemill ဆန်စက်",
    "oil_mill": "oilmill ဆီစက်",
    "juices": "juices juice מיצים",
    "natural": "natural טבעיים",
    "events": "events אירועים",
    "energy": "energy energia 能源 에너지 энергия",
    "bank": "bank banque banco banca 银行 銀行 은행 банк بنك",
    "insurance": "insurance assurance 保险 保険 보험",
    "investment": "investment investments 投资 投資 투자 инвестиции",
    "development": "development 开发 開発 개발",
    "chemical": "chemical chemicals chemie kagaku 化学 化工 화학",
}

# Multi-word generic phrases written as one Latin token pair -> concept.
CONCEPT_OF: dict[str, str] = {
    word: concept for concept, words in _CONCEPTS.items() for word in words.split()
}

NATIVE_GENERIC = tuple(
    sorted((w for w in CONCEPT_OF if not w.isascii()), key=len, reverse=True)
)

# Native-script legal forms rigour may not know (removed before romanising).
NATIVE_LEGAL = ("ကုမ္ပဏီလီမိတက်", "ကုမ္ပဏီ", "လီမိတက်", "株式会社", "有限公司", "股份有限公司",
                "有限会社", "주식회사", "유한회사", "ՍՊԸ", "შპს", "ООО", "ОАО", "ЗАО", "ПАО", "АО",
                "ТОВ", "ФОП", "ІП", "ПрАТ",
                "בע״מ", 'בע"מ', "בע''מ", "בע'מ")

# Conventional romanisations of common Korean surnames (Revised Romanisation differs).
KOREAN_SURNAMES = {
    "김": "kim", "이": "lee", "박": "park", "최": "choi", "정": "jung", "강": "kang",
    "조": "cho", "윤": "yoon", "장": "jang", "임": "lim", "한": "han", "오": "oh", "서": "seo",
    "신": "shin", "권": "kwon", "황": "hwang", "안": "ahn", "송": "song", "류": "ryu",
    "홍": "hong", "전": "jeon", "고": "ko", "문": "moon", "손": "son", "양": "yang",
    "배": "bae", "백": "baek", "허": "heo", "남": "nam", "노": "roh", "유": "yoo", "하": "ha",
}

NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "first": "1", "second": "2", "third": "3",
}

ROMAN = {
    "ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
    "xi": "11", "xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16",
}
ROMAN_TAIL = {"i": "1", "v": "5", "x": "10"}


def concept_of(token: str) -> str | None:
    """The generic-business concept of an ASCII or native-script word, if any."""
    return CONCEPT_OF.get(token)
