"""Languages: detection, words in scripts without spaces, digits of any script, cue lists.

The texts below were written for these tests; they differ from the direction pairs so that
detection is not only checked on the texts it was tuned with.
"""

import pytest

from testimonials.scoring import ItemInput, Scorer
from testimonials.scoring.direction import TARGET_SHARE, direction_report
from testimonials.scoring.features import count_text
from testimonials.scoring.languages import detect_language, fold_digits
from testimonials.scoring.segmentation import segment_words

DETECTION_CASES = [
    ("en", "The courier left the box with our neighbour and texted a photo of it."),
    ("fr", "Le livreur a laissé le colis chez notre voisin et nous a envoyé une photo."),
    ("es", "El repartidor dejó la caja con nuestro vecino y nos mandó una foto."),
    ("de", "Der Bote hat das Paket beim Nachbarn abgegeben und uns ein Foto geschickt."),
    ("pt", "O entregador deixou a caixa com o nosso vizinho e mandou uma foto."),
    ("zh", "快递员把箱子放在邻居家，还给我们发了照片。"),
    ("ja", "配達員が荷物を隣の家に預けて、写真を送ってくれました。"),
    ("th", "พนักงานส่งของฝากกล่องไว้กับเพื่อนบ้านและส่งรูปมาให้เรา"),
    ("km", "អ្នកដឹកជញ្ជូនបានទុកកញ្ចប់នៅផ្ទះអ្នកជិតខាង ហើយផ្ញើរូបថតមកយើង។"),
    ("lo", "ພະນັກງານສົ່ງເຄື່ອງຝາກກ່ອງໄວ້ກັບເພື່ອນບ້ານ ແລະ ສົ່ງຮູບມາໃຫ້ເຮົາ."),
    ("ar", "ترك عامل التوصيل الصندوق عند جارنا وأرسل لنا صورة."),
    ("es", "¡Excelente!"),
    ("pt", "Ótimo atendimento"),
    ("it", "Il corriere ha lasciato la scatola dal vicino e ci ha mandato una foto."),
    ("nl", "De koerier heeft de doos bij de buren afgegeven en ons een foto gestuurd."),
    ("pl", "Kurier zostawił paczkę u sąsiada i przysłał nam zdjęcie."),
    ("tr", "Kurye kutuyu komşumuza bıraktı ve bize bir fotoğraf gönderdi."),
    ("vi", "Người giao hàng để hộp ở nhà hàng xóm và gửi ảnh cho chúng tôi."),
    ("id", "Kurir menitipkan kotak itu di tetangga kami dan mengirim foto."),
    ("ru", "Курьер оставил коробку у соседей и прислал нам фотографию."),
    ("ko", "택배 기사님이 상자를 이웃집에 맡기고 사진을 보내 주셨어요."),
    ("hi", "कूरियर ने डिब्बा पड़ोसी के घर छोड़ा और हमें फोटो भेजी।"),
    ("my", "ပို့ဆောင်သူက ပစ္စည်းကို အိမ်နီးချင်းဆီမှာ ထားခဲ့ပြီး ဓာတ်ပုံပို့ပေးတယ်။"),
]


@pytest.mark.parametrize(("code", "text"), DETECTION_CASES)
def test_language_is_detected_from_script_and_words(code: str, text: str) -> None:
    assert detect_language(text).code == code


def test_other_scripts_are_named_but_not_guessed() -> None:
    assert detect_language("Отличный сервис, доставка за два дня").code == "ru"
    assert detect_language("배송이 이틀 만에 왔어요").code == "ko"
    # Ukrainian, Marathi and Greek have no lists: named by script, never given a neighbour's.
    ukrainian = detect_language("Чудовий сервіс, доставка за два дні")
    assert (ukrainian.code, ukrainian.script) == ("und", "cyrillic")
    assert detect_language("सेवा खूप छान आहे आणि वितरण जलद").code == "und"
    greek = detect_language("Εξαιρετική εξυπηρέτηση, παράδοση σε δύο μέρες")
    assert (greek.code, greek.name) == ("und", "a Greek-script language")


# Latin-script languages without word lists, written for this test (the same testimonial).
UNLISTED_LATIN = {
    "Czech": "Službu používáme tři měsíce: každý týden ušetříme asi 10 hodin na reportech "
    "a podpora odpovídá do hodiny.",
    "Swedish": "Vi har använt tjänsten i tre månader: varje vecka sparar vi ungefär 10 timmar "
    "på rapporter och supporten svarar inom en timme.",
    "Danish": "Vi har brugt tjenesten i tre måneder: hver uge sparer vi omkring 10 timer på "
    "rapporter, og supporten svarer inden for en time.",
    "Romanian": "Folosim serviciul de trei luni: în fiecare săptămână economisim aproximativ "
    "10 ore la rapoarte, iar suportul răspunde într-o oră.",
    "Croatian": "Uslugu koristimo tri mjeseca: svaki tjedan uštedimo oko 10 sati na "
    "izvještajima, a podrška odgovara unutar sat vremena.",
    "Swahili": "Tumetumia huduma hii kwa miezi mitatu: kila wiki tunaokoa takriban saa 10 "
    "kwenye ripoti, na msaada hujibu ndani ya saa moja.",
}


@pytest.mark.parametrize("name", sorted(UNLISTED_LATIN))
def test_latin_text_in_no_listed_language_is_named_not_guessed(scorer: Scorer, name: str) -> None:
    # Function words alone read Czech as Portuguese and Swedish as German, and scored them
    # with those lists; now the reasons say there are none, and no language is stored.
    # CLD2's second opinion names each of them.
    score = scorer.score(ItemInput(UNLISTED_LATIN[name]))
    assert score.language == "und"
    reasons = {reason.code: reason.message for reason in score.reasons}
    assert reasons["no_language_cues"].startswith(f"no word lists for {name} yet")


@pytest.mark.parametrize("name", sorted(UNLISTED_LATIN))
def test_without_cld2_latin_text_in_no_listed_language_is_still_not_guessed(
    scorer: Scorer, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimonials.scoring import identification

    monkeypatch.setattr(identification, "_cld2", lambda: None)
    score = scorer.score(ItemInput(UNLISTED_LATIN[name]))
    assert score.language == "und"
    reasons = {reason.code: reason.message for reason in score.reasons}
    assert reasons["no_language_cues"].startswith("no word lists for this Latin-script language")


@pytest.mark.parametrize(("code", "text"), DETECTION_CASES)
def test_the_scorer_stores_every_listed_language_it_detects(
    scorer: Scorer, code: str, text: str
) -> None:
    # The scorer detects with its English lexicon, which only ever removes a guess.
    assert scorer.score(ItemInput(text)).language == code


def test_english_with_few_function_words_stays_english(scorer: Scorer) -> None:
    # A critic's line or a list of praise has few function words but English words.
    for text in (
        "Turns potentially forgettable formula into something strangely diverting, honestly.",
        "Fast shipping, friendly staff, fair prices, easy returns, great packaging, recommended.",
        # One place name said twice is not two words of another language.
        "A layover view for a coffee. Norway Tromsø @ Tromsø Lufthavn - TOS",
    ):
        assert scorer.score(ItemInput(text)).language == "en"


def test_script_names_read_as_english() -> None:
    assert detect_language("Հիանալի ծառայություն, խորհուրդ եմ տալիս").name == (
        "an Armenian-script language"
    )
    assert detect_language("ጥሩ አገልግሎት ነው").name == "an Ethiopic-script language"
    # Tibetan was read as English (no script matched) and given English lists.
    assert detect_language("ཞབས་ཞུ་ཡག་པོ་རེད།").name == "a Tibetan-script language"


def test_digits_of_every_supported_script_fold_to_ascii_in_place() -> None:
    text = "៣ ໓ ๓ ٣ ۳ ３ 3"
    assert fold_digits(text) == "3 3 3 3 3 3 3"
    assert len(fold_digits("១២៣ ៛")) == len("១២៣ ៛")


@pytest.mark.parametrize(
    ("text", "at_least"),
    [
        ("我们团队用了三个月，每周节省了大约10个小时的报表时间。", 10),
        ("ใช้มาสามเดือน ประหยัดเวลาได้ 10 ชั่วโมงต่อสัปดาห์", 8),
        ("ខ្ញុំបានប្រើកម្មវិធីនេះរយៈពេលបីខែ", 5),
        ("ຂ້ອຍໃຊ້ມາສາມເດືອນແລ້ວ", 4),
        ("チームで3か月使って、毎週10時間ほど節約できました。", 8),
        ("ကျွန်တော်တို့ ဒီဆော့ဖ်ဝဲကို သုံးလ သုံးခဲ့တယ်", 5),
    ],
)
def test_text_without_spaces_is_split_into_words(text: str, at_least: int) -> None:
    assert len(segment_words(text)) >= at_least


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ใช้มา ๓ เดือน ประหยัดได้ ๑๐ ชั่วโมงต่อสัปดาห์", "th"),
        ("ប្រើរយៈពេល ៣ ខែ សន្សំបាន ១០ ម៉ោង", "km"),
        ("ໃຊ້ມາ ໓ ເດືອນ ປະຢັດໄດ້ ໑໐ ຊົ່ວໂມງ", "lo"),
        ("استخدمناه ٣ أشهر ووفرنا ١٠ ساعات كل أسبوع", "ar"),
        ("用了３个月，每周节省１０个小时", "zh"),
        ("Wir nutzen es seit 3 Monaten und sparen 10 Stunden pro Woche", "de"),
        ("Lo usamos desde hace 3 meses y ahorramos 10 horas por semana", "es"),
    ],
)
def test_numbers_and_time_spans_are_found_in_any_script(text: str, code: str) -> None:
    language = detect_language(text)
    assert language.code == code
    counts = count_text(text, {}, language)
    assert counts.numbers >= 2
    assert counts.time_spans >= 2


def test_money_in_local_currencies() -> None:
    for text in ("ประหยัดได้ 500 บาท", "សន្សំបាន ១០០០០ រៀល", "省了200元", "ahorramos 300 euros"):
        assert count_text(text, {}, detect_language(text)).money == 1, text


def test_specific_chinese_testimonial_is_not_very_short(scorer: Scorer) -> None:
    specific = scorer.score(
        ItemInput(
            "我们团队用了三个月，每周节省了大约10个小时的报表时间，客服小王总是在一小时内回复。"
        )
    )
    generic = scorer.score(ItemInput("很好！"))
    assert "very_short" not in specific.reason_codes()
    assert "mentions_number" in specific.reason_codes()
    assert "very_short" in generic.reason_codes()
    assert specific.specificity > generic.specificity + 0.2
    assert specific.language == "zh"


@pytest.mark.parametrize(
    "text",
    [
        "我们的客服团队每天都会认真处理客户提出的各种问题并及时给出答复",
        "ทีมบริการลูกค้าของเราตอบคำถามทุกข้อของลูกค้าอย่างรวดเร็วทุกวัน",
        "ក្រុមបម្រើអតិថិជនរបស់យើងឆ្លើយសំណួររបស់អតិថិជនយ៉ាងលឿនរៀងរាល់ថ្ងៃ",
        "ທີມບໍລິການລູກຄ້າຂອງເຮົາຕອບຄຳຖາມຂອງລູກຄ້າຢ່າງໄວທຸກມື້",
        "私たちのサポートチームは毎日お客様の質問にすぐに丁寧に答えています",
    ],
)
def test_no_text_is_very_short_because_it_has_no_spaces(scorer: Scorer, text: str) -> None:
    assert "very_short" not in scorer.score(ItemInput(text)).reason_codes()


def test_generic_praise_is_recognised_in_each_language(scorer: Scorer) -> None:
    for text in (
        "Génial, super produit !",
        "¡Excelente, muy recomendable!",
        "很好，推荐！",
        "ดีมาก แนะนำเลย",
        "ល្អណាស់ ណែនាំ",
        "ດີຫຼາຍ ແນະນຳເລີຍ",
        "最高です、おすすめ！",
        "ممتاز، أنصح به",
        "Super, sehr empfehlenswert!",
        "Ótimo, recomendo!",
    ):
        assert "generic_praise" in scorer.score(ItemInput(text)).reason_codes(), text


def test_a_language_without_cue_lists_says_so(scorer: Scorer) -> None:
    score = scorer.score(ItemInput("Доставили за два дні, кур'єр зателефонував за годину."))
    reasons = {r.code: r.message for r in score.reasons}
    assert "no_language_cues" in reasons
    assert "no word lists" in reasons["no_language_cues"]
    english = scorer.score(ItemInput("Delivered in two days; the courier called an hour ahead."))
    assert "no_language_cues" not in english.reason_codes()


FIRST_ELEVEN = {"en", "fr", "es", "de", "pt", "zh", "ja", "th", "km", "lo", "ar"}


def test_specific_beats_generic_in_every_supported_language(scorer: Scorer) -> None:
    results = direction_report(scorer)
    assert {r.language for r in results} == {
        "en",
        "fr",
        "es",
        "de",
        "pt",
        "zh",
        "ja",
        "th",
        "km",
        "lo",
        "ar",
        # Added later, with fewer pairs each (12-13).
        *("it", "nl", "pl", "tr", "vi", "id", "ru", "ko", "hi", "my"),
    }
    for result in results:
        assert result.pairs >= (20 if result.language in FIRST_ELEVEN else 12)
        assert result.share >= TARGET_SHARE, (result.language, result.share)
        assert result.detected == 2 * result.pairs, result.language


def test_no_script_is_penalised_as_a_whole(scorer: Scorer) -> None:
    # The same kind of testimonial should land in the same range whatever the script: the
    # mean specific score of every language is within 0.15 of English's.
    results = {r.language: r for r in direction_report(scorer)}
    english = results["en"].mean_specific
    for language, result in results.items():
        assert abs(result.mean_specific - english) <= 0.15, language


@pytest.mark.parametrize(
    ("script", "text"),
    [
        ("cyrillic", "Наша команда дуже любить цей інструмент, усе стало простіше."),
        ("greek", "Η ομάδα μας λατρεύει αυτό το εργαλείο, όλα είναι πιο εύκολα."),
        ("hebrew", "הצוות שלנו אוהב את הכלי הזה, הכול נעשה פשוט יותר."),
        ("devanagari", "आमच्या टीमला हे साधन खूप आवडते आणि सगळे सोपे झाले आहे."),
        ("bengali", "আমাদের দল এই টুলটি খুব পছন্দ করে, সবকিছু সহজ হয়েছে।"),
    ],
)
def test_languages_without_lists_are_named_not_given_a_neighbours_lists(
    scorer: Scorer, script: str, text: str
) -> None:
    score = scorer.score(ItemInput(text))
    assert (score.language, detect_language(text).script) == ("und", script)
    assert "no_language_cues" in score.reason_codes()


@pytest.mark.parametrize("code", ["it", "nl", "pl", "tr", "vi", "id", "ru", "ko", "hi", "my"])
def test_the_ten_added_languages_have_lists(code: str) -> None:
    from testimonials.scoring.cues import cues_for
    from testimonials.scoring.languages import Language

    cues = cues_for(Language(code, code, "latin"))
    assert cues is not None and cues.flags


def test_combining_marks_stay_inside_words() -> None:
    from testimonials.scoring.text import words

    assert words("हमारी टीम ने तीन महीने में") == ["हमारी", "टीम", "ने", "तीन", "महीने", "में"]


def test_without_icu_words_are_estimated_from_graphemes(monkeypatch: pytest.MonkeyPatch) -> None:
    from testimonials.scoring import segmentation

    monkeypatch.setattr(segmentation, "_icu", None)
    thai = "ทีมบริการลูกค้าของเราตอบคำถามทุกข้อของลูกค้าอย่างรวดเร็วทุกวัน"
    estimated = segmentation.segment_words(thai)
    assert 8 <= len(estimated) <= 20
    assert len(segmentation.segment_words("ใช้มา 3 เดือน")) >= 3
