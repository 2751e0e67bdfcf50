"""Word classes the first cue lists lacked, and the word forms a lookup needs (data only).

Found by an independent, blind set of specific-vs-generic pairs (docs/scoring-evaluation.md,
section 2): long generic praise outscored short specific texts because whole classes of
words were missing, not single words.  Each language here gets the classes the English
lexicons already have:

- praise: intensifying and vouching adverbs ("sincerely", "definitely"), the writer's
  satisfaction ("happy", "pleased"), warmth of staff ("friendly", "caring", "welcoming"),
  the rating idiom ("five stars"), and the sweeping nouns of praise ("atmosphere", "service");
- vague: "everything", "everyone", "all of them";
- concrete: units of measure and graded things ("kg", "points", "floor"), and everyday
  physical objects of the common testimonial domains (rooms, kitchens, cars, phones, plates).
  Titles of people ("teacher", "Dr") were left out: "all the teachers" is generic praise, and
  only a title followed by a name is specific, which a word list cannot tell.

Then the forms a word takes in running text, generated rather than listed one by one:
Korean nouns with their particles and 하다 adjectives with their endings, Arabic words with
the conjunction و and the article ال and adverbs with tanween, Romance adjectives in both
genders and numbers, German adjectives with their endings, and both Khmer spellings of
ឲ្យ/ឱ្យ.  Words are written for this project (no third-party lexicon is copied).
"""

from __future__ import annotations

from collections.abc import Mapping

# Additions by language and category (same categories as `cue_lists.LISTS`).
CLASS_ADDITIONS: dict[str, dict[str, str]] = {
    "fr": {
        "praise": "vraiment sincèrement vivement absolument ravi ravie ravis heureux heureuse "
        "chaleureux chaleureuse accueillant accueillante bienveillant bienveillante attentionné "
        "adorable aimable serviable étoiles adore adoré adorons adorée merveilleux merveilleuse "
        "fantastique exceptionnel exceptionnelle impeccable génialissime délicieux délicieuse "
        "rapide fiable sérieux ambiance cadre",
        "vague": "tout tous toutes",
        "concrete": "kg km cm mètres litres porte fenêtre lit table cuisine évier salle bain "
        "douche voiture frein pneu moteur téléphone plat menu assiette étage note moyenne",
    },
    "es": {
        "praise": "realmente sinceramente totalmente absolutamente encanta encantó encantan "
        "encantada encantado contento contenta contentos felices amables atento atenta atentos "
        "cercano cercana estrellas increíbles fantásticos maravillosos estupendo estupenda "
        "rico rica riquísimo delicioso deliciosa rápido rápida fiable genial ambiente trato",
        "vague": "todo todos todas",
        "concrete": "kg km cm metros litros puerta ventana cama mesa cocina baño ducha "
        "coche carro freno rueda motor teléfono móvil plato menú piso planta nota",
    },
    "de": {
        "praise": "wirklich ehrlich absolut herzlich herzliche glücklich froh freundliche "
        "aufmerksam hilfsbereit sterne liebe lieben toll lecker zuverlässig "
        "fantastisch wundervoll großartig atmosphäre",
        "vague": "alles alle jeder",
        "concrete": "kg km cm meter liter tür fenster bett tisch küche spüle bad dusche auto "
        "bremse reifen motor handy telefon teller menü etage stock note",
    },
    "pt": {
        "praise": "realmente sinceramente totalmente adoro adorei adorámos adoramos amo amamos "
        "encantada encantado feliz felizes simpático simpática atencioso atenciosa acolhedor "
        "acolhedora estrelas lindo linda gostoso gostosa delicioso deliciosa rápido rápida "
        "confiável fiável ambiente atendimento",
        "vague": "tudo todos todas",
        "concrete": "kg km cm metros litros porta janela cama mesa cozinha pia banheiro "
        "chuveiro carro freio travão pneu motor celular telemóvel prato cardápio andar nota",
    },
    "it": {
        "praise": "davvero veramente sinceramente assolutamente sicuramente proprio "
        "tantissimo felice felici contento contenti soddisfatti entusiasta entusiasti "
        "cordiale cordiali accogliente accoglienti disponibile disponibili simpatico "
        "simpatici attento attenti premuroso splendido splendida stupendo stupenda "
        "meraviglioso favoloso incredibile buonissimo bellissima gentilissimo gentilissima "
        "bravissimo stelle adoro adorato consiglio consigliamo consigliata consigliati "
        "affidabile veloce facile atmosfera ambiente staff",
        "vague": "tutto tutti tutte",
        "concrete": "kg km cm metri litri porta finestra letto tavolo cucina lavandino bagno "
        "doccia auto macchina freno gomma motore telefono cellulare piatto menù piano voto",
    },
    "ru": {
        "praise": "искренне действительно обязательно огромное огромная спасибо "
        "довольна довольны рады счастлива счастливы приветливые приветливый внимательные "
        "внимательный доброжелательные заботливые звёзд звезд звёзды звезды потрясающий "
        "потрясающе чудесный чудесно замечательная прекрасная идеально вкусно надёжная "
        "надежная быстро атмосфера",
        "vague": "всё все всем всех",
        "concrete": "кг км см метров литров дверь окно кровать стол кухня раковина ванная "
        "душ машина тормоз колесо двигатель телефон тарелка меню этаж оценка",
    },
    "ar": {
        "praise": "حقا حقاً فعلا بالتأكيد بشدة بصراحة سعداء راضون راضية لطيف لطفاء ودود "
        "ودودون متعاون متعاونون محترف محترفون مخلص مخلصون نجوم نجمة مذهل رائعين "
        "لذيذ لذيذة سريع موثوق موثوقة مريح مريحة الأجواء أجواء إتقان",
        "vague": "كل الجميع شيء",
        "concrete": "كيلو كيلوغرام كيلومتر متر لتر باب نافذة سرير طاولة مطبخ حوض حمام "
        "سيارة فرامل إطار محرك هاتف جوال صحن طبق قائمة طابق درجة علامة",
    },
    "hi": {
        "praise": "सच दिल वाकई ज़रूर जरूर बेहद सचमुच ख़ुश ख़ुशी ख़ुशी-ख़ुशी विनम्र मिलनसार "
        "प्यारा प्यारे सितारे स्टार ईमानदार भरोसेमंद स्वादिष्ट आरामदायक माहौल परफ़ेक्ट",
        "vague": "सब सभी सारा सारे",
        "concrete": "किलो किलोमीटर मीटर लीटर दरवाज़ा खिड़की बिस्तर मेज़ रसोई सिंक बाथरूम "
        "गाड़ी ब्रेक टायर इंजन फ़ोन फोन प्लेट मेन्यू मंज़िल नंबर डॉ",
    },
    "vi": {
        "praise": "thật thương chu đáo thân thiện lòng vui ngon đáng",
        "vague": "mọi tất cả",
        "concrete": "kg km cm mét lít cửa giường bàn bếp xe phanh lốp máy điện thoại đĩa tầng điểm",
    },
    "ko": {
        "praise": "진심으로 강력 강력히 정말로 확실히 꼭 별점 분위기 서비스 품질 경험 "
        "최고 만족 감동 대박",
        "vague": "모든 모두 다들 전부",
        "concrete": "킬로 킬로그램 미터 센티 리터 문 창문 침대 책상 식탁 부엌 주방 싱크대 "
        "욕실 화장실 샤워기 차 브레이크 타이어 엔진 휴대폰 핸드폰 액정 화면 접시 메뉴 층 "
        "호실 점수",
        "numword": "열하나 열둘 열셋 열넷 열한 열두 열세 열네 열다섯 스물 이십 삼십 사십 "
        "오십 백 이백 삼백 천 이천 삼천",
    },
    "zh": {
        "praise": "真心 强烈 非常 特别 热情 周到 贴心 友好 温馨 开心 五星 好评 靠谱 放心 好吃 "
        "满分 无可挑剔 完美无缺",
        "vague": "一切 所有 大家",
        "concrete": "公斤 公里 房门 窗户 床 桌子 厨房 水槽 卫生间 浴室 车 刹车 轮胎 发动机 "
        "手机 盘 菜单 楼 分数",
    },
    "ja": {
        "praise": "本当に 心から 必ず ぜひ 親切 温かい 明るい 楽しい 嬉しい うれしい 五つ星 "
        "信頼 おいしい 美味しい 雰囲気",
        "vague": "すべて 全て みんな 皆",
        "concrete": "キロ メートル リットル ドア 窓 ベッド 机 テーブル キッチン 浴室 "
        "シャワー 車 ブレーキ タイヤ エンジン 携帯 スマホ 皿 メニュー 号室",
    },
    "th": {
        "praise": "จริงๆ จากใจ แน่นอน เป็นกันเอง เอาใจใส่ ใส่ใจ อบอุ่น น่ารัก ใจดี "
        "สมบูรณ์แบบ ซื่อสัตย์ ไว้ใจ มืออาชีพ บริการ คุณภาพ ประสบการณ์ ห้าดาว "
        "มีความสุข อร่อย บรรยากาศ",
        "vague": "ทุกคน ทั้งหมด",
        "concrete": "กิโล เมตร ลิตร ประตู หน้าต่าง เตียง โต๊ะ ห้องน้ำ ครัว ซิงค์ รถ เบรก "
        "เครื่องยนต์ โทรศัพท์ จาน เมนู ชั้น คะแนน",
    },
    "km": {
        "praise": "ពិតជា ពិតមែន ខ្លាំងណាស់ ពីបាតដួងចិត្ត ជាមិនខាន រួសរាយ រាក់ទាក់ កក់ក្តៅ "
        "យកចិត្តទុកដាក់ សប្បាយចិត្ត រីករាយ ល្អឥតខ្ចោះ ឥតខ្ចោះ ស្រស់ស្អាត ទុកចិត្ត "
        "ជំនាញ ចិត្តល្អ ស្មោះត្រង់ ប្រាំផ្កាយ សេវាកម្ម គុណភាព បទពិសោធន៍ បរិយាកាស "
        "ស្រណុកស្រួល",
        "vague": "ទាំងអស់ អ្វីៗទាំងអស់ ទាំងមូល គ្រប់គ្នា",
        "concrete": "គីឡូ គីឡូក្រាម គីឡូម៉ែត្រ ម៉ែត្រ លីត្រ ទ្វារ បង្អួច គ្រែ ផ្ទះបាយ "
        "អាងលាងចាន បន្ទប់ទឹក ឡាន ម៉ូតូ ហ្វ្រាំង កង់ ម៉ាស៊ីន ទូរស័ព្ទ ចាន ជាន់ ពិន្ទុ",
    },
    "lo": {
        "praise": "ແທ້ໆ ຈາກໃຈ ແນ່ນອນ ເປັນກັນເອງ ເອົາໃຈໃສ່ ອົບອຸ່ນ ໜ້າຮັກ ໃຈດີ ມີຄວາມສຸກ "
        "ສົມບູນແບບ ຊື່ສັດ ໄວ້ໃຈ ມືອາຊີບ ບໍລິການ ຄຸນນະພາບ ປະສົບການ ຫ້າດາວ ບັນຍາກາດ ສະບາຍ",
        "vague": "ທຸກຄົນ ທັງໝົດ",
        "concrete": "ກິໂລ ແມັດ ປະຕູ ປ່ອງຢ້ຽມ ຕຽງ ໂຕະ ເຮືອນຄົວ ອ່າງລ້າງຈານ ຫ້ອງນ້ຳ "
        "ລົດຍົນ ລົດຈັກ ເບຣກ ເຄື່ອງຈັກ ໂທລະສັບ ຊັ້ນ ຄະແນນ",
    },
}

# Korean case and topic particles, after a final consonant and after a vowel.
_KO_PARTICLES_CONSONANT = (
    "이 을 은 과 으로 이랑 이에요 이었어요 이라 이고 의 에 에서 도 만 한테 께서"
)
_KO_PARTICLES_VOWEL = "가 를 는 와 로 랑 예요 였어요 라 고 의 에 에서 도 만 한테 께서"
# Endings of a 하다 adjective or verb ("친절" -> "친절하고", "친절해요", "친절했습니다").
_KO_HADA_ENDINGS = (
    "하다 하고 하게 한 해 해요 합니다 했어요 했습니다 했고 했던 하시고 하세요 하십니다 해서 "
    "하며 하네요 해주셔서 해주시고"
)
# 하다 stems of praise ("kind", "excellent", "perfect", "satisfied", "neat", "comfortable",
# "happy", "thankful", "recommend", "honest", "quick", "thorough", "attentive", "warm",
# "convenient", "reassuring", "accurate", "sincere", "pleasant").
_KO_HADA_PRAISE = (
    "친절 훌륭 완벽 만족 깔끔 편안 행복 감사 추천 정직 신속 꼼꼼 세심 따뜻 편리 든든 정확 "
    "성실 쾌적 편"
)
# Other praise adjectives in their common forms ("good", "tasty", "fun", "bright", "nice",
# "fast", "pretty", "positive").
_KO_PRAISE_FORMS = (
    "좋아요 좋습니다 좋은 좋고 좋았어요 좋았습니다 좋네요 좋았던 좋게 좋았고 최고의 최고예요 "
    "최고입니다 최고였어요 최고였습니다 맛있어요 맛있고 맛있는 맛있습니다 맛있었어요 즐거운 "
    "즐겁게 즐거웠어요 즐겁고 밝고 밝은 멋진 멋지고 멋져요 멋있어요 빠르고 빠른 빨라요 "
    "예쁘고 예뻐요 예쁜 긍정적 긍정적이고 긍정적이라 긍정적인 알차고 알찬 풍부하고"
)


def _korean_with_particles(nouns: str) -> str:
    forms: list[str] = []
    for noun in nouns.split():
        last = ord(noun[-1]) - 0xAC00
        has_final = 0 <= last < 11172 and last % 28 != 0
        particles = _KO_PARTICLES_CONSONANT if has_final else _KO_PARTICLES_VOWEL
        forms.append(noun)
        forms.extend(noun + particle for particle in particles.split())
    return " ".join(forms)


def _arabic_forms(words: str) -> str:
    """Each word, with the conjunction و, the article ال (and both) and, for adverbs in -ا,
    the tanween spelling (جدا -> جداً)."""
    forms: list[str] = []
    for word in words.split():
        variants = [word]
        if word.endswith("ا") and not word.endswith("اً"):
            variants.append(word + "ً")
            variants.append(word[:-1] + "ًا")
        if not word.startswith("ال") and len(word) > 2:
            variants.append("ال" + word)
        forms.extend(variants)
        forms.extend("و" + v for v in variants)
    return " ".join(forms)


def _romance_adjectives(code: str, stems: str) -> str:
    """Adjectives in -o, both genders and numbers: it -o -a -i -e; es and pt -o -a -os -as.
    Italian -co/-go keep their hard sound in the feminine plural (fantastiche)."""
    forms: list[str] = []
    for stem in stems.split():
        if code != "it":
            forms += [stem + "o", stem + "a", stem + "os", stem + "as"]
        else:
            hard = "h" if stem.endswith(("c", "g")) else ""
            forms += [stem + "o", stem + "a", stem + "i", stem + hard + "e"]
    return " ".join(forms)


def _german_adjectives(stems: str) -> str:
    """German adjectives with every strong and weak ending ("toll" -> "tolle", "toller")."""
    return " ".join(f"{s} {s}e {s}er {s}es {s}en {s}em" for s in stems.split())


def _khmer_both_spellings(words: str) -> str:
    """Khmer writes "to give / to make" both ឲ្យ and ឱ្យ: list every word in both."""
    forms: list[str] = []
    for word in words.split():
        forms.append(word)
        if "ឲ្យ" in word:
            forms.append(word.replace("ឲ្យ", "ឱ្យ"))
        elif "ឱ្យ" in word:
            forms.append(word.replace("ឱ្យ", "ឲ្យ"))
    return " ".join(forms)


# Praise adjectives whose other forms are generated ("ottim-" -> ottimo ottima ottimi ottime).
_ROMANCE_PRAISE_STEMS = {
    "it": "ottim buon bell perfett fantastic meravigli splendid stupend favolos brav attent "
    "simpatic",
    "es": "buen perfect fantástic maravill estupend encantad atent rápid delicios",
    "pt": "ótim perfeit fantástic maravilh simpátic atencios rápid delicios lind",
}
_GERMAN_PRAISE_STEMS = (
    "toll gut super schnell freundlich herzlich lecker perfekt großartig hervorragend "
    "wunderbar klasse zuverlässig kompetent aufmerksam angenehm schön nett"
)


def class_additions(base: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Every language's added classes, with word forms generated; Arabic and Khmer forms are
    generated for the `base` lists' words too."""
    added = {code: dict(lists) for code, lists in CLASS_ADDITIONS.items()}
    for code, stems in _ROMANCE_PRAISE_STEMS.items():
        added[code]["praise"] += " " + _romance_adjectives(code, stems)
    added["de"]["praise"] += " " + _german_adjectives(_GERMAN_PRAISE_STEMS)
    ko = added["ko"]
    hada_forms = (
        stem + ending for stem in _KO_HADA_PRAISE.split() for ending in _KO_HADA_ENDINGS.split()
    )
    ko["praise"] = " ".join([_korean_with_particles(ko["praise"]), _KO_PRAISE_FORMS, *hada_forms])
    ko["concrete"] = _korean_with_particles(ko["concrete"])
    ko["vague"] = _korean_with_particles(ko["vague"])
    for code, forms in (("ar", _arabic_forms), ("km", _khmer_both_spellings)):
        for category in ("praise", "concrete", "vague"):
            words = f"{base.get(code, {}).get(category, '')} {added[code][category]}"
            added[code][category] = forms(words)
    return added
