"""Titles and honorifics that announce a name, for scripts that have no capital letters.

A title alone ("the teachers", 老师们, ครูทุกคน) is generic; a title joined to a name
(小王, 田中さん, 박 선생님, คุณสมชาย, الأستاذ سامي) is as specific as a capitalised name.
`titled_names` reads these lists; each language states where its name sits (before or
after the title) and which following words show the title is used alone.  Word lists only:
the matching lives in `titled_names.py`.  Every list is one string of space-separated words.
"""

from __future__ import annotations

# Chinese: 小/老 + surname (小王, 老李) and surname + title (王老师, 李经理).  Surnames that
# also make common words after 小/老 or before a title (小时, 老方法, 小于, 小龙虾, 小毛病,
# 小程序, 小钱, 老顾客, 小孙子, 小任务, 小苏打, 老姜) are left out.
ZH_SURNAMES = (
    "王李张刘陈杨赵吴周徐马朱郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董潘袁蔡蒋余杜魏吕丁"
    "卢姚沈钟崔谭陆汪廖贾韦夏邹孟秦邱侯尹薛闫雷黎陶贺郝龚邵覃武戴严欧莫赖施洪辛柯庄"
)
ZH_FAMILIAR = "小老"
ZH_TITLES = (
    "先生 女士 小姐 老师 经理 师傅 医生 大夫 主任 阿姨 教练 律师 护士 工程师 顾问 店长 姐 哥"
)

# Japanese: a common surname, or a katakana name, before an honorific (田中さん, マリア様).
# Role words before さん/様 (皆さん, お客様, 店員さん, スタッフさん) are not names; the
# katakana ones are listed, the kanji ones never match (only listed surnames do).
JA_SURNAMES = (
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 "
    "斎藤 清水 山崎 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 "
    "村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 "
    "竹内 小野 田村 中山 和田 石田 森田 上田 柴田 酒井 工藤 横山 宮崎 宮本 内田 高木 安藤 "
    "島田 谷口 大野 丸山 今井 高田 藤本 武田 村田 上野 杉山 増田 小山 大塚 平野 菅原 久保 "
    "松井 千葉 岩崎 桜井 木下 野口 松尾 菊地 野村 新井 渡部"
)
JA_HONORIFICS = "さん 様 さま 先生 くん 君 ちゃん 氏 部長 課長 店長 社長 院長 係長"
JA_KATAKANA_ROLES = (
    "スタッフ ドライバー オーナー マネージャー トレーナー ガイド ママ パパ ドクター シェフ "
    "コーチ ナース ベビー エンジニア デザイナー サポート オペレーター セラピスト スタイリスト "
    "カウンセラー アシスタント ベテラン ファン ユーザー メンバー バイト パート "
    "インストラクター"
)

# Korean: a surname alone before a title (박 선생님, 김과장님), or a three-syllable full name
# before 씨/님 or a title (김민수 씨, 이지은님).  Surnames that are also everyday words
# (이 "this", 한 "one", 안 "not", 전, 오, 구, 백, 천, 주, 차, 문, 방, 원, 공, 나, 도, 지,
# 성, 하, 우, 유, 모, 서, 소, 손, 배, 남, 고, 정, 조, 장, 양, 신, 진, 민, 노) are left out
# of the bare-surname form, where "이 선생님" means "this teacher".
KO_SURNAMES_BARE = "김박최강윤임권황송류홍허심곽엄채천변염추석설길연표반왕금옥육맹탁편용"
KO_SURNAMES_FULL = (
    KO_SURNAMES_BARE + "이정조장한오서신안전고문양손배백유남노하성차주우구민진지원방공"
)
KO_TITLES = (
    "선생님 선생 과장님 과장 팀장님 팀장 부장님 부장 대리님 대리 실장님 실장 원장님 원장 "
    "사장님 사장 대표님 대표 매니저님 매니저 기사님 간호사님 교수님 박사님 주임님 씨"
)
# 님 after a full name only (김민수님); after one syllable it makes 손님, 고객님.
KO_FULL_NAME_ONLY = "님"
# Three-syllable role words that open with a surname syllable (이용자님, 정비사님).
KO_NOT_NAMES = (
    "이용자 구매자 신청자 운영자 진행자 전문가 전문의 주치의 간호사 상담사 정비사 조리사 "
    "미용사 관리자 안내자 강사님 선배님 후배님"
)

# Thai, Khmer, Lao, Burmese: a title word (one ICU word) followed by the name's word.  The
# following words listed here show the title is used alone: as "you" (คุณทำได้ดี), with a
# plural or "every" (พี่ๆ, ครูทุกคน), or before a role (พี่พนักงาน, លោកគ្រូទាំងអស់).
PREFIX_TITLES: dict[str, str] = {
    "th": "คุณ น้อง พี่ ครู หมอ ลุง ป้า น้า เจ๊ เฮีย อาจารย์",
    "km": "លោក អ្នកស្រី លោកស្រី លោកគ្រូ អ្នកគ្រូ កញ្ញា ពូ មីង វេជ្ជបណ្ឌិត គ្រូពេទ្យ",
    "lo": "ທ່ານ ເອື້ອຍ ອ້າຍ ນ້ອງ ທ້າວ ນາງ ອາຈານ ທ່ານໝໍ ໝໍ ລຸງ ປ້າ",
    "my": "ဦး ဒေါ် ဆရာ ဆရာမ ဒေါက်တာ",
}
NOT_NAMES: dict[str, str] = {
    "th": (
        "ๆ ทุก ทุกคน ทั้ง ทั้งหมด ทั้งหลาย หลาย บาง ที่ ซึ่ง ของ กับ และ ว่า ก็ จะ ได้ ได้รับ ไม่ "
        "มี เป็น คือ ให้ ต้อง ควร ลอง ใช้ ดู รู้ บอก ชอบ รัก ยัง เคย กำลัง อยาก ต้องการ สามารถ "
        "ทำ ทำได้ ช่วย ช่วยเหลือ แนะนำ ตอบ ดูแล มา ไป อยู่ เอง มาก ค่ะ ครับ คะ นะ นะคะ นะครับ เลย "
        "จ้ะ จ๊ะ คน ท่าน เขา เค้า เธอ เรา พวก พนักงาน ช่าง หมอ ครู พยาบาล ผู้จัดการ เจ้าของ แม่บ้าน "
        "แม่ พ่อ ลูกค้า ลูก ยาย ตา ป้า ลุง ผู้ ใหม่ คนนี้ คนนั้น นี้ นั้น ไหน ภาพ ค่า สมบัติ "
        "ประจำ ฟัน ใจดี ดี น่ารัก เก่ง มากๆ สำหรับ จริงๆ อีก"
    ),
    "km": (
        "ទាំងអស់ ទាំង គ្រប់ ៗ ច្រើន ខ្លះ ដែល និង ជា មាន បាន នឹង ត្រូវ ជួយ ធ្វើ ថា ក៏ មិន នៅ "
        "ទៅ មក ឲ្យ ឱ្យ ណាស់ ខ្ញុំ គាត់ គេ យើង ពួក បុគ្គលិក គ្រូ ពេទ្យ ស្រី អ្នក នេះ នោះ ណា "
        "ល្អ ចិត្តល្អ ស្រលាញ់ ចេះ ពូកែ លោក ពិភព"
    ),
    "lo": (
        "ທຸກ ທຸກຄົນ ທັງໝົດ ທັງ ຫຼາຍ ບາງ ທີ່ ແລະ ກັບ ຂອງ ວ່າ ກໍ ຈະ ໄດ້ ບໍ່ ມີ ເປັນ ແມ່ນ ໃຫ້ ຕ້ອງ "
        "ຊ່ວຍ ເຮັດ ແນະນຳ ດູແລ ມາ ໄປ ຢູ່ ຫຼາຍໆ ໆ ເຈົ້າ ລາວ ພວກ ພະນັກງານ ຊ່າງ ໝໍ ຄູ ຜູ້ ນີ້ ນັ້ນ "
        "ດີ ໃຈດີ ເກັ່ງ ຄົນ ຂ້ອຍ ເຮົາ"
    ),
    "my": ("တို့ များ အားလုံး တွေ က ကို ရဲ့ နဲ့ နှင့် သည် ပါ တယ် လည်း ဟာ ဆရာမ ဆရာဝန် စီး ဆောင် ဆုံး စွာ ဘေး မယ် မှာ နော် လေ"),
}

# Arabic: a title before a name (الأستاذ سامي, د. ليلى).  A following word with the article
# (الأستاذ الفاضل) or in the list is an adjective, verb or particle: the title stands alone.
AR_TITLES = (
    "الأستاذ الأستاذة الاستاذ الاستاذة أستاذ أستاذة استاذ استاذة الدكتور الدكتورة "
    "دكتور دكتورة د. السيد السيدة الأخ الأخت المهندس المهندسة م. الشيخ الآنسة الحاج "
    "الكابتن كابتن أ."
)
AR_NOT_NAMES = (
    "كان كانت يكون تكون هو هي هم كل جميع في من على مع إلى الى عن لقد قد لم لا ما جدا جداً "
    "و أو ثم الذي التي الذين اللي اللذين لنا لي لهم له لها جزاه شكرا شكراً رائع رائعة ممتاز "
    "ممتازة محترم محترمة لطيف لطيفة ساعدني ساعدنا أجاب اجاب"
)

# Hindi: श्री/डॉ. before a name, जी after one (शर्मा जी).  Pronouns, kin and role words
# before जी (आप जी, गुरु जी, भैया जी) and particles after a title are not names.
HI_PREFIX_TITLES = "श्री श्रीमती सुश्री डॉ. डॉ डॉक्टर प्रोफेसर प्रो."
HI_SUFFIX_TITLES = "जी साहब सर मैडम मैम"
HI_NOT_NAMES = (
    "आप तुम वह वे ये यह हम मैं गुरु गुरू भैया भाई दीदी बहन माता पिता मां माँ पापा मम्मी दादा दादी "
    "नाना नानी चाचा चाची अंकल आंटी डॉक्टर सर मैडम स्टाफ टीम सभी सब हर बहुत बड़े अच्छे अच्छी "
    "और के की का को ने से में पर है हैं था थे थी ही भी तो ना न नहीं हाँ हां जी साहब मास्टर "
    "शिक्षक टीचर मैनेजर धन्यवाद शुक्रिया सीए वकील इंजीनियर प्रिंसिपल ड्राइवर पंडित सेठ "
    "मालिक दुकानदार श्रीमान"
)

# Latin script typed all in lower case: abbreviated titles before a name
# (dr patel, mrs. lee, sra. garcía).  Only abbreviations that never stand alone: full words
# (doctor, madame, señor) and "prof" ("my prof") also stand alone ("the doctor said").
LATIN_ABBREVIATED_TITLES: dict[str, str] = {
    "en": "mr mrs dr",
    "fr": "mme mlle dr",
    "es": "sr sra srta dr dra",
    "pt": "sr sra dr dra",
    "it": "sig dott dr",
    "de": "dr prof",
    "nl": "dhr mevr dr",
}
