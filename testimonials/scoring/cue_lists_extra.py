"""Word lists for ten more languages (data only; written for this project).

Same shape as `cue_lists.LISTS`: Italian, Dutch, Polish, Turkish, Vietnamese, Indonesian,
Russian, Korean, Hindi and Burmese.  Languages that inflect or attach particles to words
(Russian, Polish, Turkish, Korean) list the common forms of their praise words, and their
time-unit and money patterns take any ending (`\\w*`), so "20분만에" or "3 godziny" count as
time spans.  Vietnamese is written a syllable a word: its lists hold single syllables that
carry the meaning on their own.  Burmese is written without spaces between words: its lists
are matched as substrings, like Thai's.
"""

from __future__ import annotations

EXTRA_LISTS: dict[str, tuple[str, dict[str, str], str, str]] = {
    "it": (
        "spaced",
        {
            "function": "il lo la i gli le un uno una di del della dei degli delle e ed o ma "
            "che è sono era erano essere avere ha hanno aveva si suo sua suoi sue molto più "
            "anche tutto tutti tutta come se già quando",
            "fps": "io mi me mio mia miei mie",
            "fpp": "noi ci nostro nostra nostri nostre",
            "second": "voi vi vostro vostra tu ti tuo tua lei",
            "prep": "a al alla in nel nella con senza per tra fra su sul sulla da dal dalla "
            "dopo prima durante verso contro",
            "vague": "cosa cose qualcosa tutto questo quello",
            "neg": "non mai niente nulla nessuno nessuna senza",
            "praise": "ottimo ottima ottimi fantastico fantastica perfetto perfetta eccellente "
            "eccezionale bravissimi bravi consigliato consigliatissimo consiglio grazie "
            "meraviglioso meravigliosa bello bella bellissimo buono buona migliore qualità "
            "servizio esperienza prodotto soddisfatto soddisfatta contento contenta felice "
            "gentile gentilissimi professionale professionali top super",
            "hedge": "forse piuttosto abbastanza sembra probabilmente circa",
            "concrete": "team squadra fattura fatture report rapporto ordine consegna pacco "
            "camera prezzo app applicazione software schermo batteria cliente clienti file "
            "riunione modulo magazzino cassa preventivo contratto",
            "circum": "marito moglie famiglia figli vacanza compleanno matrimonio viaggio",
            "super": "migliore peggiore mai sempre assolutamente totalmente incredibile",
            "numword": "due tre quattro cinque sei sette otto nove dieci dodici quindici venti "
            "trenta cento mille mezzo mezza",
        },
        r"h|ore|ora|min|minuti?|giorni?|settimane?|mesi|mese|anni|anno|notti?",
        r"euro|eur|dollari?|€",
    ),
    "nl": (
        "spaced",
        {
            "function": "de het een en of maar dat die dit deze is zijn was waren hebben "
            "heeft had er ook nog al zo als wel heel erg alles",
            "fps": "ik mij me mijn",
            "fpp": "we wij ons onze",
            "second": "u uw jij je jou jouw jullie",
            "prep": "in op aan bij met na naar van voor uit tot over onder door zonder tegen "
            "tussen sinds binnen",
            "vague": "ding dingen iets alles dat",
            "neg": "niet geen nooit niets zonder",
            "praise": "geweldig geweldige super top perfect perfecte uitstekend uitstekende "
            "fantastisch fantastische prima aanrader aanbevolen bedankt dank tevreden blij "
            "goed goede beste mooi mooie service kwaliteit ervaring product vriendelijk "
            "vriendelijke snel professioneel heerlijk",
            "hedge": "misschien eerder nogal lijkt waarschijnlijk ongeveer rond",
            "concrete": "team factuur facturen rapport rapporten bestelling levering pakket "
            "kamer prijs dashboard app software scherm accu klant klanten bestand bestanden "
            "export import afspraak formulier voorraad kassa offerte contract",
            "circum": "man vrouw gezin familie kinderen vakantie verjaardag bruiloft reis",
            "super": "beste slechtste nooit altijd absoluut totaal ongelooflijk",
            "numword": "twee drie vier vijf zes zeven acht negen tien twaalf vijftien twintig "
            "dertig honderd duizend half halve",
        },
        r"u|uur|uren|min|minuten?|dagen|dag|weken|week|maanden?|jaren?|jaar|nachten|nacht",
        r"euro|eur|dollar",
    ),
    "pl": (
        "spaced",
        {
            "function": "i a ale lub czy że to ten ta te jest są był była było były być mieć "
            "ma mają się bardzo też już tylko jak gdy wszystko wszyscy",
            "fps": "ja mnie mi mój moja moje mojego",
            "fpp": "my nas nam nasz nasza nasze naszego",
            "second": "ty ci ciebie twój twoja wy was państwo pan pani",
            "prep": "w we na z ze do od po przy dla bez przez pod nad przed między za u o",
            "vague": "rzecz rzeczy coś wszystko to",
            "neg": "nie nigdy nic żaden żadna bez",
            "praise": "świetny świetna świetne świetnie super doskonały doskonała doskonale "
            "wspaniały wspaniała wspaniale idealny idealna idealnie polecam polecamy godny "
            "dziękuję dzięki zadowolony zadowolona dobry dobra dobre dobrze najlepszy "
            "najlepsza obsługa jakość produkt miły miła profesjonalny profesjonalnie "
            "rewelacja rewelacyjny fantastyczny",
            "hedge": "może raczej dość chyba prawdopodobnie około",
            "concrete": "zespół faktura faktury fakturę raport raporty zamówienie dostawa "
            "paczka paczce pokój cena aplikacja aplikacji program ekran bateria klient "
            "klienci plik pliki spotkanie formularz magazyn kasa oferta umowa",
            "circum": "mąż żona rodzina dzieci wakacje urodziny ślub podróż",
            "super": "najlepszy najgorszy nigdy zawsze absolutnie całkowicie niesamowity",
            "numword": "dwa dwie trzy cztery pięć sześć siedem osiem dziewięć dziesięć "
            "dwanaście piętnaście dwadzieścia trzydzieści sto tysiąc pół dwóch trzech "
            "czterech pięciu",
        },
        r"h|godz\w*|min\w*|dni|dzień|dnia|tydzień|tygodni\w*|miesi\w*|lat|rok\w*|noc\w*",
        r"zł|złotych|pln|euro|eur|dolar\w*",
    ),
    "tr": (
        "spaced",
        {
            "function": "ve veya ama fakat bu şu o bir çok daha en de da ki ile için gibi "
            "her hep var yok olan oldu olarak",
            "fps": "ben beni bana benim",
            "fpp": "biz bizi bize bizim",
            "second": "sen siz size sizin sizi senin",
            "prep": "için ile kadar sonra önce beri karşı göre rağmen boyunca",
            "vague": "şey şeyler",
            "neg": "değil yok hiç hiçbir asla",
            "praise": "harika harikaydı mükemmel mükemmeldi süper güzel iyi "
            "tavsiye teşekkürler teşekkür memnun memnunum muhteşem başarılı kaliteli "
            "kalite hizmet deneyim ürün ilgili nazik profesyonel şahane efsane",
            "hedge": "belki galiba sanki muhtemelen yaklaşık civarında",
            "concrete": "ekip fatura faturalar rapor raporlar sipariş teslimat kargo paket "
            "oda fiyat uygulama yazılım ekran batarya müşteri müşteriler dosya toplantı "
            "form stok kasa teklif sözleşme",
            "circum": "eşim kocam karım ailem çocuklar tatil doğum düğün seyahat",
            "super": "en asla her zaman kesinlikle tamamen inanılmaz",
            "numword": "iki üç dört beş altı yedi sekiz dokuz on yirmi otuz yüz bin yarım",
        },
        r"sa|saat\w*|dk|dakika\w*|gün\w*|hafta\w*|ay\w*|yıl\w*|gece\w*",
        r"tl|lira\w*|dolar\w*|euro\w*|₺",
    ),
    "vi": (
        "spaced",
        {
            "function": "và là của có không những được cho với này một các thì mà để đã đang "
            "sẽ rất cũng như khi nếu",
            "fps": "tôi mình em",
            "fpp": "chúng ta",
            "second": "bạn anh chị quý",
            "prep": "trong ngoài trên dưới từ đến sau trước với cho về tại",
            "vague": "gì thứ điều",
            "neg": "không chưa chẳng đừng",
            "praise": "tuyệt vời tốt hài tuyệt hay sắc hảo ơn khuyên thích ưng đỉnh nhiệt "
            "chuyên chất trải",
            "hedge": "lẽ khoảng chắc",
            "concrete": "đơn hàng giao báo cáo hóa kho phòng giá phần mềm màn pin khách tệp họp",
            "circum": "chồng vợ gia đình nghỉ cưới du lịch",
            "super": "nhất luôn mãi",
            "numword": "hai ba bốn năm sáu bảy tám chín mười trăm nghìn ngàn triệu rưỡi nửa",
        },
        r"giờ|tiếng|phút|ngày|tuần|tháng|năm|đêm",
        r"đồng|đ|vnd|vnđ|đô|đô la|usd|₫",
    ),
    "id": (
        "spaced",
        {
            "function": "yang dan di ke dari ini itu dengan untuk tidak ada juga sudah akan "
            "bisa sangat lebih semua jika karena",
            "fps": "saya aku ku",
            "fpp": "kami kita",
            "second": "anda kamu kalian",
            "prep": "di ke dari pada untuk dengan tentang sejak selama sampai antara tanpa",
            "vague": "hal sesuatu semuanya",
            "neg": "tidak bukan belum tanpa jangan",
            "praise": "bagus mantap hebat luar biasa sempurna rekomendasi merekomendasikan "
            "terima kasih puas senang baik terbaik keren memuaskan ramah profesional "
            "kualitas layanan pelayanan pengalaman produk",
            "hedge": "mungkin agak sepertinya kira-kira sekitar",
            "concrete": "tim faktur tagihan laporan pesanan pengiriman paket kamar harga "
            "aplikasi perangkat layar baterai pelanggan berkas rapat formulir stok kasir "
            "penawaran kontrak barang",
            "circum": "suami istri keluarga anak liburan pernikahan perjalanan",
            "super": "terbaik terburuk selalu pernah benar-benar sangat",
            "numword": "dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas "
            "belas puluh seratus ratus seribu ribu setengah",
        },
        r"jam|menit|detik|hari|minggu|pekan|bulan|tahun|malam",
        r"rp|rupiah|dolar|usd",
    ),
    "ru": (
        "spaced",
        {
            "function": "и а но или что это этот эта эти то как так же уже ещё очень все всё "
            "был была было были быть есть если когда только",
            "fps": "я меня мне мной мой моя моё мои",
            "fpp": "мы нас нам нами наш наша наше наши",
            "second": "вы вас вам ваш ваша ты тебя тебе твой",
            "prep": "в во на с со к ко по о об от до из у за под над перед через без для при "
            "между после",
            "vague": "вещь вещи что-то всё это",
            "neg": "не нет никогда ничего ни без",
            "praise": "отлично отличный отличная отличное супер прекрасно прекрасный "
            "замечательно замечательный великолепно великолепный идеально идеальный "
            "рекомендую советую спасибо доволен довольна довольны хороший хорошая "
            "хорошо лучший лучшая лучше качество сервис обслуживание опыт продукт "
            "приятный вежливые профессионально профессионалы восторге класс",
            "hedge": "может возможно наверное кажется примерно около",
            "concrete": "команда счёт счет счета отчёт отчет отчёты заказ доставка посылка "
            "посылке номер цена приложение программа экран батарея клиент клиенты файл "
            "встреча форма склад касса договор накладной",
            "circum": "муж жена семья дети отпуск рождения свадьба поездка",
            "super": "лучший худший никогда всегда абсолютно совершенно невероятно",
            "numword": "два две три четыре пять шесть семь восемь девять десять двенадцать "
            "пятнадцать двадцать тридцать сто тысяча полтора половина двух трёх",
        },
        r"ч|час\w*|мин\w*|сек\w*|дн\w*|день|сут\w*|недел\w*|месяц\w*|год\w*|лет|ноч\w*",
        r"руб\w*|₽|евро|доллар\w*|usd|eur",
    ),
    "ko": (
        "spaced",
        {
            "function": "그리고 하지만 그래서 이 그 저 것 수 있는 없는 있습니다 있어요 "
            "정말 너무 아주 매우 모든 또",
            "fps": "저 저는 제 제가 나 나는 내가",
            "fpp": "우리 우리는 저희 저희는 저희가",
            "second": "당신 고객님",
            "prep": "에서 으로 부터 까지",
            "vague": "것 뭔가 모든것 다",
            "neg": "안 못 없어요 없습니다 않아요",
            "praise": "좋아요 좋습니다 좋은 최고 최고예요 최고입니다 만족 만족합니다 "
            "만족해요 추천 추천합니다 추천해요 감사합니다 고맙습니다 훌륭한 훌륭합니다 "
            "완벽 완벽한 완벽했습니다 친절 친절한 친절합니다 대박 멋진 서비스 품질 경험",
            "hedge": "아마 약간 정도 쯤 같아요",
            "concrete": "팀 송장 청구서 보고서 주문 배송 택배 방 가격 앱 소프트웨어 화면 "
            "배터리 고객 파일 회의 재고 계약",
            "circum": "남편 아내 가족 아이들 휴가 생일 결혼 여행",
            "super": "가장 제일 항상 절대 완전",
            "numword": "하나 둘 셋 넷 다섯 여섯 일곱 여덟 아홉 열 두 세 네 한 이틀 사흘 "
            "나흘 스무 서른 백 천 만 반",
        },
        r"시간\w*|시\w*|분\w*|초\w*|일\w*|주\w*|개월\w*|달\w*|년\w*|박\w*",
        r"원\w*|달러\w*|₩",
    ),
    "hi": (
        "spaced",
        {
            "function": "और या लेकिन पर कि यह वह ये वो है हैं था थी थे हो को का की के से "
            "में भी ही बहुत सब जब अगर तो",
            "fps": "मैं मुझे मेरा मेरी मेरे",
            "fpp": "हम हमें हमारा हमारी हमारे",
            "second": "आप आपका आपकी आपके तुम",
            "prep": "में पर से तक के लिए बाद पहले साथ बिना दौरान",
            "vague": "चीज़ चीज चीजें कुछ सब",
            "neg": "नहीं न कभी बिना",
            "praise": "बढ़िया शानदार बेहतरीन अच्छा अच्छी अच्छे उत्कृष्ट उम्दा ज़बरदस्त "
            "लाजवाब धन्यवाद शुक्रिया खुश संतुष्ट सिफारिश सलाह सर्वश्रेष्ठ बेस्ट सुपर "
            "सेवा गुणवत्ता अनुभव प्रोडक्ट मददगार",
            "hedge": "शायद लगभग करीब लगता",
            "concrete": "टीम बिल चालान रिपोर्ट ऑर्डर डिलीवरी पैकेट पार्सल कमरा कीमत दाम "
            "ऐप सॉफ्टवेयर स्क्रीन बैटरी ग्राहक फ़ाइल फाइल मीटिंग स्टॉक अनुबंध सामान",
            "circum": "पति पत्नी परिवार बच्चे छुट्टी जन्मदिन शादी यात्रा",
            "super": "सबसे हमेशा कभी बिल्कुल पूरी",
            "numword": "एक दो तीन चार पांच पाँच छह सात आठ नौ दस बीस तीस सौ हज़ार हजार लाख आधा डेढ़ ढाई",
        },
        r"घंटे|घंटा|घंटों|मिनट|सेकंड|दिन|दिनों|हफ्ते|हफ़्ते|सप्ताह|महीने|महीना|साल|वर्ष|रात",
        r"रुपये|रुपए|रु|₹|डॉलर",
    ),
    "my": (
        "unspaced",
        {
            "function": "နဲ့ နှင့် ကို မှာ တွင် သည် တယ် ပြီး လည်း",
            "fps": "ကျွန်တော် ကျွန်မ ငါ",
            "fpp": "ကျွန်တော်တို့ ကျွန်မတို့ ငါတို့",
            "second": "ခင်ဗျား ရှင်",
            "prep": "ထဲမှာ အတွင်း မှ ထိ အတွက်",
            "vague": "အရာအားလုံး တစ်ခုခု",
            "neg": "မဟုတ် မရှိ",
            "praise": "ကောင်း ကောင်းတယ် အရမ်းကောင်း အကောင်းဆုံး ကြိုက် ကျေနပ် ကျေးဇူး ထိပ်တန်း ညွှန်း ဝန်ဆောင်မှု အထောက်အကူ",
            "hedge": "လောက် ခန့် ဖြစ်နိုင်",
            "concrete": "အသင်း ငွေတောင်းခံလွှာ အစီရင်ခံစာ အော်ဒါ ပို့ဆောင် ပစ္စည်း အခန်း "
            "ဈေးနှုန်း အက်ပ် ဆော့ဖ်ဝဲ ဖုန်း ဖောက်သည် ဖိုင် အစည်းအဝေး စာချုပ်",
            "circum": "ခင်ပွန်း ဇနီး မိသားစု ကလေး အားလပ်ရက် မွေးနေ့ မင်္ဂလာ ခရီး",
            "super": "အဆုံး အမြဲ လုံးဝ",
            "numword": "တစ် နှစ် သုံး လေး ငါး ခြောက် ခုနစ် ရှစ် ကိုး ဆယ် ရာ ထောင် သောင်း သိန်း ခွဲ",
        },
        r"နာရီ|မိနစ်|စက္ကန့်|ရက်|ပတ်|လ|နှစ်|ည",
        r"ကျပ်|ဒေါ်လာ",
    ),
}
