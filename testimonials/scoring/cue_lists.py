"""The per-language word lists behind `cues` (data only; written for this project).

Each entry: (kind, lists by category, time-unit pattern, money pattern).  Categories:
function words, first person singular/plural, second person, prepositions, vague
references, negations, generic praise, hedges, concrete detail, the writer's circumstances,
superlatives and number words.  Latin-script words are lower case.
"""

from __future__ import annotations

LISTS: dict[str, tuple[str, dict[str, str], str, str]] = {
    "fr": (
        "spaced",
        {
            "function": "le la les un une des du de et ou mais donc car ce cet cette ces il elle "
            "ils elles on est sont était été être avoir a ont avait qui que quoi dont où se sa "
            "son ses leur leurs y en très plus aussi tout tous toute toutes comme si bien",
            "fps": "je j' me m' moi mon ma mes",
            "fpp": "nous notre nos",
            "second": "vous votre vos tu te toi ton ta tes",
            "prep": "à au aux dans sur sous avec sans pour par chez entre vers depuis pendant "
            "avant après contre",
            "vague": "chose choses truc trucs tout ça cela quelque",
            "neg": "ne pas jamais rien aucun aucune sans",
            "praise": "génial géniale super excellent excellente parfait parfaite top merci "
            "recommande recommandé bravo formidable incroyable magnifique satisfait satisfaite "
            "content contente bon bonne meilleur meilleure service qualité expérience produit "
            "agréable sympa efficace professionnel professionnelle",
            "hedge": "peut-être plutôt assez sembler semble probablement environ",
            "concrete": "équipe facture factures rapport rapports commande livraison colis "
            "chambre prix tableau application appli logiciel écran batterie client clients "
            "fichier fichiers export import réunion formulaire stock caisse devis contrat",
            "circum": "mari femme famille enfants vacances anniversaire mariage voyage",
            "super": "meilleur pire jamais toujours absolument totalement incroyable parfait",
            "numword": "deux trois quatre cinq six sept huit neuf dix douze quinze vingt "
            "trente cent mille demi",
        },
        r"h|heures?|min|minutes?|jours?|semaines?|mois|ans|années?|nuits?",
        r"euros?|dollars?|francs?|eur|€",
    ),
    "es": (
        "spaced",
        {
            "function": "el la los las un una unos unas de del y o pero que es son era fue "
            "ser estar está están hay lo le les se su sus muy más también todo todos como si "
            "ya cuando",
            "fps": "yo me mi mis mío conmigo",
            "fpp": "nosotros nosotras nuestro nuestra nuestros nuestras nos",
            "second": "usted ustedes tú te tu tus vosotros",
            "prep": "a al en con sin para por desde hasta entre sobre durante ante tras hacia",
            "vague": "cosa cosas algo todo eso esto",
            "neg": "no nunca nada ningún ninguna sin tampoco",
            "praise": "excelente excelentes genial increíble perfecto perfecta súper super "
            "recomiendo recomendado recomendable gracias maravilloso maravillosa bueno buena "
            "buenísimo mejor calidad servicio experiencia producto encantado encantada "
            "satisfecho satisfecha feliz fantástico fantástica amable eficiente profesional",
            "hedge": "quizás quizá tal vez parece probablemente aproximadamente unos",
            "concrete": "equipo factura facturas informe informes pedido entrega paquete "
            "habitación precio panel aplicación programa pantalla batería cliente clientes "
            "archivo archivos reunión formulario inventario caja presupuesto contrato",
            "circum": "esposo esposa marido familia hijos vacaciones cumpleaños boda viaje",
            "super": "mejor peor nunca siempre absolutamente totalmente increíble perfecto",
            "numword": "dos tres cuatro cinco seis siete ocho nueve diez doce quince veinte "
            "treinta cien mil medio media",
        },
        r"h|horas?|min|minutos?|días?|semanas?|mes|meses|años?|noches?",
        r"euros?|dólares?|pesos?|eur|usd",
    ),
    "de": (
        "spaced",
        {
            "function": "der die das den dem des ein eine einen einem einer und oder aber ist "
            "sind war waren sein haben hat hatte es er sie man sich sehr auch noch schon nur "
            "so wie wenn dass als alle alles immer",
            "fps": "ich mich mir mein meine meinen meinem",
            "fpp": "wir uns unser unsere unseren unserem",
            "second": "sie ihr ihre du dich dir dein deine",
            "prep": "in im an am auf aus bei mit nach seit von vom zu zum zur für über unter "
            "vor hinter neben zwischen durch gegen ohne um",
            "vague": "ding dinge sache sachen etwas alles das",
            "neg": "nicht kein keine keinen nie niemals nichts ohne",
            "praise": "super toll klasse spitze perfekt ausgezeichnet hervorragend großartig "
            "genial empfehlenswert empfehle empfehlen danke zufrieden begeistert gut gute "
            "guter beste besten top service qualität erfahrung produkt freundlich "
            "schnell kompetent professionell wunderbar",
            "hedge": "vielleicht eher ziemlich scheinbar wahrscheinlich etwa ungefähr",
            "concrete": "team rechnung rechnungen bericht berichte bestellung lieferung paket "
            "zimmer preis dashboard app software bildschirm akku kunde kunden datei dateien "
            "export import termin formular lager kasse angebot vertrag",
            "circum": "mann frau familie kinder urlaub geburtstag hochzeit reise",
            "super": "beste schlechteste nie immer absolut total unglaublich perfekt",
            "numword": "zwei drei vier fünf sechs sieben acht neun zehn zwölf fünfzehn zwanzig "
            "dreißig hundert tausend halbe halben",
        },
        r"std|stunden?|min|minuten?|tagen?|tage|wochen?|monaten?|monate|jahren?|jahre|nächte?",
        r"euro|eur|dollar|franken|chf",
    ),
    "pt": (
        "spaced",
        {
            "function": "o a os as um uma uns umas de do da dos das e ou mas que é são era foi "
            "ser estar está estão tem há lo se seu sua seus suas muito mais também todo todos "
            "como se já quando",
            "fps": "eu me mim meu minha meus minhas comigo",
            "fpp": "nós nosso nossa nossos nossas",
            "second": "você vocês te teu tua seu",
            "prep": "em no na nos nas com sem para por pelo pela desde até entre sobre durante "
            "ante após",
            "vague": "coisa coisas algo tudo isso isto",
            "neg": "não nunca nada nenhum nenhuma sem",
            "praise": "excelente excelentes ótimo ótima maravilhoso maravilhosa incrível "
            "perfeito perfeita super recomendo recomendado obrigado obrigada bom boa melhor "
            "qualidade serviço experiência produto satisfeito satisfeita feliz fantástico "
            "fantástica adorei amei top eficiente profissional",
            "hedge": "talvez parece provavelmente aproximadamente cerca",
            "concrete": "equipe equipa fatura faturas relatório relatórios pedido entrega "
            "pacote quarto preço painel aplicativo programa tela bateria cliente clientes "
            "arquivo arquivos reunião formulário estoque caixa orçamento contrato",
            "circum": "marido esposa família filhos férias aniversário casamento viagem",
            "super": "melhor pior nunca sempre absolutamente totalmente incrível perfeito",
            "numword": "dois duas três quatro cinco seis sete oito nove dez doze quinze vinte "
            "trinta cem mil meia meio",
        },
        r"h|horas?|min|minutos?|dias?|semanas?|mês|meses|anos?|noites?",
        r"reais|real|euros?|dólares?|brl|r\$",
    ),
    "ar": (
        "spaced",
        {
            "function": "في من على إلى عن مع هذا هذه ذلك تلك التي الذي هو هي كان كانت و أو لكن "
            "ثم قد كل جدا أيضا ما",
            "fps": "أنا لي نفسي",
            "fpp": "نحن لنا",
            "second": "أنت أنتم لكم لك",
            "prep": "في من على إلى عن مع بعد قبل خلال منذ حتى بين عند",
            "vague": "شيء أشياء كل",
            "neg": "لا لم لن ليس بدون",
            "praise": "ممتاز ممتازة رائع رائعة جميل جميلة جيد جيدة أفضل شكرا أنصح مذهل "
            "مذهلة مثالي خدمة تجربة منتج راض سعيد سعيدة جدا",
            "hedge": "ربما تقريبا حوالي يبدو",
            "concrete": "فريق الفريق فاتورة الفواتير تقرير التقارير طلب الطلب توصيل شحنة "
            "غرفة سعر السعر تطبيق التطبيق برنامج شاشة بطارية عميل العملاء ملف الملفات",
            "circum": "زوجي زوجتي عائلتي أطفالي إجازة عطلة رحلة",
            "super": "أفضل أسوأ أبدا دائما تماما مطلقا",
            "numword": "واحد اثنان اثنين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثمانية "
            "تسعة عشر عشرة عشرين مئة مائة ألف نصف",
        },
        r"ساعة|ساعات|دقيقة|دقائق|يوم|أيام|يوما|أسبوع|أسابيع|شهر|أشهر|شهور|سنة|سنوات|ليلة",
        r"دولار|دولارات|ريال|درهم|دينار|جنيه|يورو",
    ),
    "zh": (
        "unspaced",
        {
            "function": "的 了 是 在 和 也 都 就 这 那 很 有 个 把 被 吗 呢 吧",
            "fps": "我",
            "fpp": "我们",
            "second": "你 您",
            "prep": "在 从 到 对 给 向 跟 比 于",
            "vague": "东西 一切 什么",
            "neg": "不 没 没有 别",
            "praise": "很好 非常好 太好了 好用 很棒 真棒 完美 优秀 推荐 满意 喜欢 不错 厉害 "
            "赞 超赞 惊艳 贴心 专业 靠谱 感谢 谢谢 最好 服务好 质量好 体验好",
            "hedge": "可能 也许 大概 好像 似乎 左右",
            "concrete": "团队 报表 报告 发票 订单 快递 包裹 房间 价格 后台 应用 软件 屏幕 电池 "
            "客户 客服 文件 导出 导入 会议 表格 库存 合同 功能 模板 数据 账单 系统",
            "circum": "老公 老婆 家人 孩子 假期 生日 婚礼 旅行",
            "super": "最 绝对 完全 永远 从来",
        },
        r"个小时|小时|分钟|秒|天|周|星期|个月|月|年|晚",
        r"元|块|美元|欧元|人民币|rmb",
    ),
    "ja": (
        "unspaced",
        {
            "function": "の に は を が で と も た です ます でした ました この その あの",
            "fps": "私 僕 わたし 自分",
            "fpp": "私たち 弊社 当社 我々",
            "second": "あなた 皆さん",
            "prep": "から まで より へ",
            "vague": "もの こと いろいろ 全部",
            "neg": "ない ません なかった",
            "praise": "最高 素晴らしい すばらしい おすすめ お勧め 満足 良い いい 大好き 完璧 "
            "便利 ありがとう 感謝 優秀 丁寧 快適 感動 文句なし 大満足",
            "hedge": "たぶん 多分 おそらく かもしれ 約 ほど くらい ぐらい",
            "concrete": "チーム 報告書 レポート 請求書 注文 配送 荷物 部屋 価格 料金 管理画面 "
            "アプリ ソフト 画面 バッテリー 顧客 サポート ファイル 会議 在庫 契約 機能 "
            "テンプレート データ 経理 月次",
            "circum": "夫 妻 家族 子供 休暇 誕生日 結婚式 旅行",
            "super": "最も 絶対 完全に 一番",
        },
        r"時間|分|秒|日間|日|週間|週|か月|ヶ月|カ月|ケ月|年|泊",
        r"円|ドル|ユーロ",
    ),
    "th": (
        "unspaced",
        {
            "function": "ที่ และ ของ ใน มี เป็น ได้ ก็ จะ ไม่ แล้ว กับ ให้ นี้ มาก คือ",
            "fps": "ผม ดิฉัน ฉัน เรา",
            "fpp": "พวกเรา ทีมเรา บริษัทเรา",
            "second": "คุณ",
            "prep": "ใน จาก ถึง กับ บน ภายใน ระหว่าง สำหรับ",
            "vague": "ทุกอย่าง อะไร สิ่ง",
            "neg": "ไม่ ไม่ได้ ไม่มี",
            "praise": "ดีมาก ดีเยี่ยม เยี่ยม สุดยอด ประทับใจ แนะนำ ชอบ ชอบมาก พอใจ ยอดเยี่ยม "
            "ขอบคุณ เลิศ ปัง คุ้มค่า บริการดี ดี",
            "hedge": "อาจ อาจจะ ประมาณ คง น่าจะ",
            "concrete": "ทีม รายงาน ใบแจ้งหนี้ ใบเสร็จ คำสั่งซื้อ จัดส่ง พัสดุ ห้อง ราคา แอป "
            "โปรแกรม หน้าจอ แบตเตอรี่ ลูกค้า ไฟล์ ประชุม สต็อก สัญญา ระบบ ข้อมูล บัญชี",
            "circum": "สามี ภรรยา ครอบครัว ลูก วันหยุด วันเกิด งานแต่ง เที่ยว",
            "super": "ที่สุด สุดๆ ตลอด เสมอ",
            "numword": "หนึ่ง สอง สาม สี่ ห้า หก เจ็ด แปด เก้า สิบ ร้อย พัน หมื่น แสน ครึ่ง",
        },
        r"ชั่วโมง|ชม\.?|นาที|วินาที|วัน|สัปดาห์|อาทิตย์|เดือน|ปี|คืน",
        r"บาท|ดอลลาร์|฿",
    ),
    "km": (
        "unspaced",
        {
            "function": "និង របស់ នៅ ជា មាន បាន ដែល ក៏ នឹង នេះ ណាស់ ទៅ ពី",
            "fps": "ខ្ញុំ",
            "fpp": "យើង យើងខ្ញុំ ក្រុមយើង",
            "second": "អ្នក លោកអ្នក",
            "prep": "នៅ ក្នុង ពី ដល់ ជាមួយ លើ សម្រាប់",
            "vague": "អ្វី រឿង អ្វីៗ",
            "neg": "មិន មិនមែន គ្មាន",
            "praise": "ល្អ ល្អណាស់ ល្អខ្លាំង អស្ចារ្យ ពេញចិត្ត ណែនាំ ចូលចិត្ត អរគុណ "
            "ល្អបំផុត សេវាកម្មល្អ គួរឱ្យចាប់អារម្មណ៍ ឆ្ងាញ់",
            "hedge": "ប្រហែល ប្រហែលជា ប្រមាណ",
            "concrete": "ក្រុម របាយការណ៍ វិក្កយបត្រ ការបញ្ជាទិញ ដឹកជញ្ជូន កញ្ចប់ បន្ទប់ តម្លៃ "
            "កម្មវិធី អេក្រង់ ថ្ម អតិថិជន ឯកសារ ប្រជុំ ស្តុក កិច្ចសន្យា ប្រព័ន្ធ ទិន្នន័យ គណនី ហាង",
            "circum": "ប្តី ប្រពន្ធ គ្រួសារ កូន ថ្ងៃឈប់សម្រាក ថ្ងៃកំណើត មង្គលការ ដំណើរកម្សាន្ត",
            "super": "បំផុត ជានិច្ច",
            "numword": "មួយ ពីរ បី បួន ប្រាំ ប្រាំមួយ ប្រាំពីរ ប្រាំបី ប្រាំបួន ដប់ ម្ភៃ សាមសិប រយ ពាន់ ម៉ឺន កន្លះ",
        },
        r"ម៉ោង|នាទី|វិនាទី|ថ្ងៃ|សប្តាហ៍|សប្ដាហ៍|អាទិត្យ|ខែ|ឆ្នាំ|យប់",
        r"រៀល|ដុល្លារ|៛",
    ),
    "lo": (
        "unspaced",
        {
            "function": "ແລະ ຂອງ ໃນ ມີ ເປັນ ໄດ້ ກໍ ຈະ ແລ້ວ ກັບ ໃຫ້ ນີ້ ຫຼາຍ ທີ່",
            "fps": "ຂ້ອຍ ຂ້າພະເຈົ້າ",
            "fpp": "ພວກເຮົາ ເຮົາ ທີມເຮົາ",
            "second": "ເຈົ້າ ທ່ານ",
            "prep": "ໃນ ຈາກ ເຖິງ ກັບ ເທິງ ສໍາລັບ ສຳລັບ",
            "vague": "ທຸກຢ່າງ ຫຍັງ ສິ່ງ",
            "neg": "ບໍ່ ບໍ່ໄດ້ ບໍ່ມີ",
            "praise": "ດີ ດີຫຼາຍ ດີເລີດ ເລີດ ຍອດຢ້ຽມ ປະທັບໃຈ ແນະນຳ ມັກ ພໍໃຈ ຂອບໃຈ ສຸດຍອດ ບໍລິການດີ ແຊບ",
            "hedge": "ອາດ ອາດຈະ ປະມານ ຄົງ",
            "concrete": "ທີມ ລາຍງານ ໃບແຈ້ງໜີ້ ໃບບິນ ຄໍາສັ່ງຊື້ ຈັດສົ່ງ ພັດສະດຸ ຫ້ອງ ລາຄາ ແອັບ "
            "ໂປຣແກຣມ ໜ້າຈໍ ແບັດເຕີຣີ ລູກຄ້າ ໄຟລ໌ ປະຊຸມ ສາງ ສັນຍາ ລະບົບ ຂໍ້ມູນ ບັນຊີ ຮ້ານ",
            "circum": "ຜົວ ເມຍ ຄອບຄົວ ລູກ ວັນພັກ ວັນເກີດ ງານແຕ່ງ ທ່ຽວ",
            "super": "ທີ່ສຸດ ສະເໝີ",
            "numword": "ໜຶ່ງ ສອງ ສາມ ສີ່ ຫ້າ ຫົກ ເຈັດ ແປດ ເກົ້າ ສິບ ຊາວ ຮ້ອຍ ພັນ ໝື່ນ ເຄິ່ງ",
        },
        r"ຊົ່ວໂມງ|ນາທີ|ວິນາທີ|ມື້|ອາທິດ|ເດືອນ|ປີ|ຄືນ",
        r"ກີບ|ໂດລາ|ບາດ|₭",
    ),
}

# Ten more languages, in a module of their own to keep each file readable.
from .cue_lists_classes import class_additions  # noqa: E402
from .cue_lists_extra import EXTRA_LISTS  # noqa: E402

LISTS.update(EXTRA_LISTS)
# Word classes found missing by the blind pairs, with their generated word forms.
for _code, _added in class_additions({code: entry[1] for code, entry in LISTS.items()}).items():
    _lists = LISTS[_code][1]
    for _category, _block in _added.items():
        _lists[_category] = f"{_lists.get(_category, '')} {_block}".strip()
