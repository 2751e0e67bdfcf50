"""Names announced by a title, in scripts without capitals: found when a name follows the
title, not when the title stands alone (issue 13)."""

from itertools import pairwise

import pytest

from testimonials.scoring import ItemInput, Scorer
from testimonials.scoring import features as f
from testimonials.scoring.languages import detect_language
from testimonials.scoring.titled_names import titled_names

# (text, the names it holds), at least one named and one title-alone text per language.
NAMED = [
    ("我们团队用了三个月，每周节省了大约10个小时的报表时间，客服小王总是在一小时内回复。", ["王"]),
    ("王老师每周给孩子补课两次，数学从72分提到了91分。", ["王"]),
    ("会计陈先生现在每个月5号就能结账。", ["陈"]),
    ("田中さんが丁寧に説明してくれました。", ["田中"]),
    ("マリアさんのおかげで三日で直りました。", ["マリア"]),
    ("박 선생님이 수학을 열 번 가르쳐 주셨어요.", ["박"]),
    ("김민수 씨가 이틀 만에 고쳐 줬어요.", ["김민수"]),
    ("세무사 박지영님이 환급을 찾아 주셨어요.", ["박지영"]),
    ("คุณสมชายช่วยเราปิดบัญชีภายในวันที่ 5", ["สมชาย"]),
    ("น้องมายด์แนะนำเมนูให้ดีมาก", ["มายด์"]),
    ("คุณหมอสมชายดูฟิล์มเอ็มอาร์ไอ", ["สมชาย"]),
    ("លោកគ្រូដារ៉ាបង្រៀនកូនខ្ញុំ ១២ ដង", ["ដារ៉ា"]),
    ("ເອື້ອຍແອນຈາກທີມຕິດຕັ້ງ ນຳເຂົ້າຂໍ້ມູນ", ["ແອນ"]),
    ("ဦးအောင်က ကူညီတယ်", ["အောင်"]),
    ("الأستاذ سامي شرح لنا الدرس في ساعتين", ["سامي"]),
    ("اكتشف الدكتور خالد سبب الصداع", ["خالد"]),
    ("शर्मा जी ने आधे घंटे में फ़ोन ठीक किया", ["शर्मा"]),
    ("डॉ. मेहता ने तीन हफ़्ते में इलाज किया", ["मेहता"]),
    ("डॉ.मेहता और श्री राजेश ने मदद की", ["मेहता", "राजेश"]),
    ("dr patel fixed my knee in two visits", ["patel"]),
    ("la sra. garcía nos atendió en diez minutos", ["garcía"]),
]
TITLE_ALONE = [
    "老师们很好，服务很棒。",
    "小时候就来这家店，老顾客了，医生很专业。",
    "皆さん親切でした。お客様への対応も良い。店員さんもスタッフさんも優しい。",
    "선생님들이 정말 친절하세요. 이 선생님 좋아요. 손님이 많아요. 고객님 감사합니다.",
    "한 선생님께서 도와주셨어요. 사장님이 친절해요.",
    "คุณทำได้ดีมาก ขอบคุณมากค่ะ คุณภาพดี",
    "พี่ๆพนักงานใจดี ครูทุกคนใจดี คุณใส่ใจลูกค้ามาก",
    "គ្រូទាំងអស់ល្អ លោកជួយខ្ញុំច្រើនណាស់",
    "ອາຈານທຸກຄົນໃຈດີ ນ້ອງໆພະນັກງານໃຈດີ",
    "ဆရာတွေ အားလုံး ကောင်းတယ်။ ထပ်မှာဦးမယ်",
    "الأستاذ كان رائعا والأساتذة ممتازون",
    "الدكتور لطيف جدا والسيد المدير متعاون",
    "आप जी बहुत अच्छे हैं, डॉक्टर साहब और सभी स्टाफ जी मददगार थे",
    "श्रीमान जी, श्रीलंका की यात्रा बहुत अच्छी रही",
    "the doctor was great, my dr said it was fine, mr. and mrs. everyone loved it",
]


@pytest.mark.parametrize(("text", "names"), NAMED)
def test_a_name_after_a_title_is_found(text: str, names: list[str]) -> None:
    assert titled_names(text, detect_language(text)) == names


@pytest.mark.parametrize("text", TITLE_ALONE)
def test_a_title_alone_is_no_name(text: str) -> None:
    assert titled_names(text, detect_language(text)) == []


def test_titled_names_count_as_names(scorer: Scorer) -> None:
    text = "客服小王总是在一小时内回复。"
    counts = f.count_text(text, scorer._lexicon, detect_language(text))
    assert counts.proper_nouns == 1
    assert counts.proper_noun_counts == {"王": 1}
    # Lower-case Latin: the title's name counts once; a capitalised one is not counted twice.
    lower = f.count_text("we saw dr patel twice", scorer._lexicon)
    capital = f.count_text("we saw dr Patel twice", scorer._lexicon)
    assert lower.proper_noun_counts == capital.proper_noun_counts == {"patel": 1}


@pytest.mark.parametrize(
    ("named", "alone"),
    [
        ("王老师每周给孩子补课两次。", "老师们每周给孩子补课两次。"),
        ("박 선생님이 친절하게 설명해 주셨어요.", "선생님들이 친절하게 설명해 주셨어요."),
        ("ลูกเรียนกับครูนิดทุกวันเสาร์", "ลูกเรียนกับครูทุกคนทุกวันเสาร์"),
        ("درسنا مع الأستاذ سامي كل سبت", "درسنا مع الأستاذ الفاضل كل سبت"),
    ],
)
def test_a_named_person_scores_higher_and_says_why(scorer: Scorer, named: str, alone: str) -> None:
    with_name, without = scorer.score(ItemInput(named)), scorer.score(ItemInput(alone))
    codes = {reason.code for reason in with_name.reasons}
    assert "names_entity" in codes
    assert "names_entity" not in {reason.code for reason in without.reasons}
    assert with_name.specificity > without.specificity


def test_a_text_without_any_title_skips_its_sentences_and_finds_the_same_names() -> None:
    from testimonials.scoring.text import sentence_spans
    from testimonials.scoring.titled_names import titled_names_finder

    texts = [text for text, _names in NAMED] + TITLE_ALONE
    texts += [
        "Thanks dr patel. Great team",
        "mr. and mrs. smith came. dr. lee fixed it",
        "Problems solved.",
    ]
    for text in texts + [f"{a} {b}" for a, b in pairwise(texts)]:
        language = detect_language(text)
        each, once = titled_names_finder(language), titled_names_finder(language, text)
        for start, end in sentence_spans(text):
            assert once(text[start:end], None) == each(text[start:end], None), text
