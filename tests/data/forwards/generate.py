#!/usr/bin/env python3
"""Writes the forward fixture matrix: tests/data/forwards/matrix/*.eml and
matrix/expected.tsv (what the case made from each must hold).

Every message is a staff member (Alex, alex@ourco.example) forwarding a
customer's mail to the desk, laid out the way one mail client prints a
forward, in one language. The layouts follow public descriptions of each
client's output; the words are those of src/mail/labels.rs. The table test
is tests/cli/forward_matrix.rs.

    python3 tests/data/forwards/generate.py

Deterministic: running it again rewrites the same files.
"""

import base64
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "matrix")

# Per language: labels (from, sent, date, to, cc, subject), separator phrases
# (gmail/hubspot-style "forwarded", thunderbird, yahoo, apple "begin", outlook
# "original"), the forward prefix, the Outlook 2019 attribution (a format with
# {date} {name} {addr}), and the customer's text.
L = {}


def lang(code, **kw):
    L[code] = kw


lang("en", frm="From", sent="Sent", date="Date", to="To", cc="Cc", subj="Subject",
     fwd="Forwarded message", tb="Forwarded Message", yahoo="Forwarded Message",
     apple="Begin forwarded message:", orig="Original Message", prefix="Fwd:", ol_prefix="FW:",
     wrote='On 2 March 2026, at 10:15, "{name}" <{addr}> wrote:',
     name="Jane Doe", subject="Router keeps rebooting", hello="Hello,",
     text=["our router reboots every hour since Friday.", "Can you send a technician?"], bye="Thanks,")
lang("cs", frm="Od", sent="Odesláno", date="Datum", to="Komu", cc="Kopie", subj="Předmět",
     fwd="Přeposlaná zpráva", tb="Přeposlaná zpráva", yahoo="Přeposlaná zpráva",
     apple="Začátek přeposílané zprávy:", orig="Původní zpráva", prefix="Fwd:", ol_prefix="FW:",
     wrote="Dne 02.03.2026 10:15, {name} <{addr}> napsal(a):",
     name="Jana Nováková", subject="Router se neustále restartuje", hello="Dobrý den,",
     text=["náš router se restartuje každou hodinu.", "Můžete poslat technika?"], bye="Děkuji,")
lang("da", frm="Fra", sent="Sendt", date="Dato", to="Til", cc="Cc", subj="Emne",
     fwd="Videresendt meddelelse", tb="Videresendt meddelelse", yahoo="Videresendt meddelelse",
     apple="Start på videresendt besked:", orig="Oprindelig meddelelse", prefix="Fwd:", ol_prefix="VS:",
     wrote='D. 02.03.2026 kl. 10.15 skrev "{name}" <{addr}>:',
     name="Mette Sørensen", subject="Routeren genstarter hele tiden", hello="Hej,",
     text=["vores router genstarter hver time.", "Kan I sende en tekniker?"], bye="Tak,")
lang("de", frm="Von", sent="Gesendet", date="Datum", to="An", cc="Cc", subj="Betreff",
     fwd="Weitergeleitete Nachricht", tb="Weitergeleitete Nachricht", yahoo="Weitergeleitete Nachricht",
     apple="Anfang der weitergeleiteten Nachricht:", orig="Ursprüngliche Nachricht", prefix="Fwd:", ol_prefix="WG:",
     wrote='Am 02.03.26, 10:15 schrieb "{name}" <{addr}>:',
     name="Jörg Müller", subject="Router startet ständig neu", hello="Hallo,",
     text=["unser Router startet seit Freitag jede Stunde neu.", "Können Sie einen Techniker schicken?"], bye="Danke,")
lang("es", frm="De", sent="Enviado", date="Fecha", to="Para", cc="CC", subj="Asunto",
     fwd="Mensaje reenviado", tb="Mensaje reenviado", yahoo="Mensaje reenviado",
     apple="Inicio del mensaje reenviado:", orig="Mensaje original", prefix="Fwd:", ol_prefix="RV:",
     wrote='El 2/3/26, 10:15, "{name}" <{addr}> escribió:',
     name="José Núñez", subject="El router se reinicia", hello="Hola,",
     text=["nuestro router se reinicia cada hora.", "¿Pueden enviar un técnico?"], bye="Gracias,")
lang("et", frm="Saatja", sent="Saadetud", date="Kuupäev", to="Adressaat", cc="Koopia", subj="Teema",
     fwd="Edastatud kiri", tb="Edastatud kiri", yahoo="Edastatud kiri",
     apple="Algus edastatud kirjale:", orig="Algne sõnum", prefix="Fwd:", ol_prefix="Edasi:",
     wrote=None,
     name="Kadri Tamm", subject="Ruuter taaskäivitub pidevalt", hello="Tere,",
     text=["meie ruuter taaskäivitub iga tund.", "Kas saate tehniku saata?"], bye="Aitäh,")
lang("fi", frm="Lähettäjä", sent="Lähetetty", date="Päivämäärä", to="Vastaanottaja", cc="Kopio", subj="Aihe",
     fwd="Välitetty viesti", tb="Välitetty viesti / Fwd.Msg", yahoo="Edelleenlähetetty viesti",
     apple="Välitetty viesti alkaa:", orig="Alkuperäinen viesti", prefix="Fwd:", ol_prefix="VL:",
     wrote='"{name}" <{addr}> kirjoitti 2.3.2026 klo 10.15:',
     name="Matti Järvinen", subject="Reititin käynnistyy uudelleen", hello="Hei,",
     text=["reitittimemme käynnistyy joka tunti.", "Voitteko lähettää asentajan?"], bye="Kiitos,")
lang("fr", frm="De", sent="Envoyé", date="Date", to="À", cc="Cc", subj="Objet",
     fwd="Message transféré", tb="Message transféré", yahoo="Message transmis",
     apple="Début du message réexpédié :", orig="Message d'origine", prefix="Fwd:", ol_prefix="TR:",
     wrote="Le 02/03/2026 10:15, « {name} » <{addr}> a écrit :",
     name="Hélène Lefèvre", subject="Le routeur redémarre sans cesse", hello="Bonjour,",
     text=["notre routeur redémarre toutes les heures.", "Pouvez-vous envoyer un technicien ?"], bye="Merci,")
lang("hr", frm="Šalje", sent="Poslano", date="Datum", to="Prima", cc="Kopija", subj="Predmet",
     fwd="Proslijeđena poruka", tb="Proslijeđena poruka", yahoo="Proslijeđena poruka",
     apple="Započni proslijeđenu poruku:", orig="Izvorna poruka", prefix="Fwd:", ol_prefix="Prosl:",
     wrote=None,
     name="Ivana Horvat", subject="Usmjerivač se stalno ponovno pokreće", hello="Pozdrav,",
     text=["naš usmjerivač se ponovno pokreće svaki sat.", "Možete li poslati tehničara?"], bye="Hvala,")
lang("hu", frm="Feladó", sent="Elküldve", date="Dátum", to="Címzett", cc="Másolat", subj="Tárgy",
     fwd="Továbbított üzenet", tb="Továbbított üzenet", yahoo="Továbbított üzenet",
     apple="Továbbított levél kezdete:", orig="Eredeti üzenet", prefix="Fwd:", ol_prefix="Továbbítás:",
     wrote="2026. 03. 02. 10:15 időpontban {name} <{addr}> ezt írta:",
     name="Kovács Éva", subject="A router folyamatosan újraindul", hello="Jó napot,",
     text=["a routerünk óránként újraindul.", "Tudnak küldeni egy technikust?"], bye="Köszönöm,")
lang("it", frm="Da", sent="Inviato", date="Data", to="A", cc="Cc", subj="Oggetto",
     fwd="Messaggio inoltrato", tb="Messaggio Inoltrato", yahoo="Messaggio inoltrato",
     apple="Inizio messaggio inoltrato:", orig="Messaggio originale", prefix="Fwd:", ol_prefix="I:",
     wrote='Il giorno 02/03/26, 10:15, "{name}" <{addr}> ha scritto:',
     name="Niccolò Rossi", subject="Il router si riavvia", hello="Buongiorno,",
     text=["il nostro router si riavvia ogni ora.", "Potete mandare un tecnico?"], bye="Grazie,")
lang("ja", frm="差出人", sent="送信日時", date="日付", to="宛先", cc="CC", subj="件名",
     fwd="転送されたメッセージ", tb="転送メッセージ", yahoo="転送されたメッセージ",
     apple="転送されたメッセージ:", orig="元のメッセージ", prefix="Fwd:", ol_prefix="転送:",
     wrote=None, colon="：", hub_fwd="メッセージを転送", hub_frm="送信元", hub_to="送信先",
     name="山田 花子", subject="ルーターが再起動を繰り返す", hello="お世話になっております。",
     text=["ルーターが毎時間再起動します。", "技術者を派遣していただけますか。"], bye="よろしくお願いします。")
lang("ko", frm="보낸 사람", sent="보낸 날짜", date="날짜", to="받는 사람", cc="참조", subj="제목",
     fwd="전달된 메시지", tb="전달된 메시지", yahoo="전달된 메시지",
     apple="전달된 메시지:", orig="원본 메시지", prefix="Fwd:", ol_prefix="전달:",
     wrote=None,
     name="김민지", subject="라우터가 계속 재부팅됩니다", hello="안녕하세요,",
     text=["라우터가 매시간 재부팅됩니다.", "기사님을 보내주실 수 있나요?"], bye="감사합니다,")
lang("nl", frm="Van", sent="Verzonden", date="Datum", to="Aan", cc="CC", subj="Onderwerp",
     fwd="Doorgestuurd bericht", tb="Doorgestuurd bericht", yahoo="Doorgestuurd bericht",
     apple="Begin doorgestuurd bericht:", orig="Oorspronkelijk bericht", prefix="Fwd:", ol_prefix="Doorst:",
     wrote="Op 02-03-2026 10:15 heeft {name} <{addr}> geschreven:",
     name="Sanne de Vries", subject="Router herstart steeds", hello="Hallo,",
     text=["onze router herstart elk uur.", "Kunt u een monteur sturen?"], bye="Bedankt,")
lang("no", frm="Fra", sent="Sendt", date="Dato", to="Til", cc="Kopi", subj="Emne",
     fwd="Videresendt melding", tb="Videresendt melding", yahoo="Videresendt melding",
     apple="Videresendt melding:", orig="Opprinnelig melding", prefix="Fwd:", ol_prefix="Videresend:",
     wrote="{name} <{addr}> skrev følgende den 02.03.2026 10:15:",
     name="Ole Nordmann", subject="Ruteren starter på nytt hele tiden", hello="Hei,",
     text=["ruteren vår starter på nytt hver time.", "Kan dere sende en tekniker?"], bye="Takk,")
lang("pl", frm="Od", sent="Wysłano", date="Data", to="Do", cc="DW", subj="Temat",
     fwd="Przekazana wiadomość", tb="Treść przekazanej wiadomości", yahoo="Przekazana wiadomość",
     apple="Początek przekazywanej wiadomości:", orig="Wiadomość oryginalna", prefix="Fwd:", ol_prefix="PD:",
     wrote="Dnia 02.03.2026 o 10:15 „{name}” <{addr}> napisał:",
     name="Łucja Wójcik", subject="Router ciągle się restartuje", hello="Dzień dobry,",
     text=["nasz router restartuje się co godzinę.", "Czy mogą Państwo wysłać technika?"], bye="Dziękuję,")
lang("pt", frm="De", sent="Enviada", date="Data", to="Para", cc="Cc", subj="Assunto",
     fwd="Mensagem reencaminhada", tb="Mensagem reencaminhada", yahoo="Mensagem reencaminhada",
     apple="Início da mensagem reencaminhada:", orig="Mensagem original", prefix="Fwd:", ol_prefix="FW:",
     wrote='Em 02/03/2026, 10:15, "{name}" <{addr}> escreveu:',
     name="João Gonçalves", subject="O router reinicia constantemente", hello="Olá,",
     text=["o nosso router reinicia a cada hora.", "Podem enviar um técnico?"], bye="Obrigado,")
lang("pt-BR", frm="De", sent="Enviado", date="Data", to="Para", cc="Cc", subj="Assunto",
     fwd="Mensagem encaminhada", tb="Mensagem encaminhada", yahoo="Mensagem encaminhada",
     apple="Início da mensagem encaminhada:", orig="Mensagem original", prefix="Fwd:", ol_prefix="ENC:",
     wrote='Em 02/03/2026, 10:15, "{name}" <{addr}> escreveu:',
     name="Luíza Araújo", subject="O roteador reinicia", hello="Olá,",
     text=["nosso roteador reinicia a cada hora.", "Vocês podem enviar um técnico?"], bye="Obrigada,")
lang("ro", frm="De la", sent="Trimis", date="Dată", to="Către", cc="Cc", subj="Subiect",
     fwd="Mesaj redirecționat", tb="Mesaj redirecționat", yahoo="Mesaj redirecționat",
     apple="Începe mesajul redirecționat:", orig="Mesaj original", prefix="Fwd:", ol_prefix="Redir.:",
     wrote=None,
     name="Ioana Popescu", subject="Routerul se repornește întruna", hello="Bună ziua,",
     text=["routerul nostru se repornește în fiecare oră.", "Puteți trimite un tehnician?"], bye="Mulțumesc,")
lang("ru", frm="От", sent="Отправлено", date="Дата", to="Кому", cc="Копия", subj="Тема",
     fwd="Пересылаемое сообщение", tb="Перенаправленное сообщение", yahoo="Пересылаемое сообщение",
     apple="Начало переадресованного сообщения:", orig="Исходное сообщение", prefix="Fwd:", ol_prefix="ПЕРЕСЛ:",
     wrote='02.03.2026, 10:15 пользователь "{name}" <{addr}> написал:',
     name="Иван Петров", subject="Роутер постоянно перезагружается", hello="Здравствуйте,",
     text=["наш роутер перезагружается каждый час.", "Можете прислать техника?"], bye="Спасибо,")
lang("sk", frm="Od", sent="Odoslané", date="Dátum", to="Komu", cc="Kópia", subj="Predmet",
     fwd="Preposlaná správa", tb="Preposlaná správa --- Forwarded Message", yahoo="Preposlaná správa",
     apple="Začiatok preposlanej správy:", orig="Pôvodná správa", prefix="Fwd:", ol_prefix="FW:",
     wrote="02.03.2026 10:15 používateľ {name} (<{addr}>) napísal:",
     name="Zuzana Kováčová", subject="Router sa stále reštartuje", hello="Dobrý deň,",
     text=["náš router sa reštartuje každú hodinu.", "Môžete poslať technika?"], bye="Ďakujem,")
lang("sl", frm="Od", sent="Poslano", date="Datum", to="Za", cc="Kp", subj="Zadeva",
     fwd="Posredovano sporočilo", tb="Posredovano sporočilo", yahoo="Posredovano sporočilo",
     apple="Začetek posredovanega sporočila:", orig="Izvirno sporočilo", prefix="Fwd:", ol_prefix="Posr:",
     wrote=None,
     name="Špela Novak", subject="Usmerjevalnik se nenehno znova zažene", hello="Pozdravljeni,",
     text=["naš usmerjevalnik se znova zažene vsako uro.", "Lahko pošljete tehnika?"], bye="Hvala,")
lang("sv", frm="Från", sent="Skickat", date="Datum", to="Till", cc="Kopia", subj="Ämne",
     fwd="Vidarebefordrat meddelande", tb="Vidarebefordrat meddelande", yahoo="Vidarebefordrat meddelande",
     apple="Vidarebefordrat mejl:", orig="Ursprungligt meddelande", prefix="Fwd:", ol_prefix="VB:",
     wrote='Den 2026-03-02 10:15 skrev "{name}" <{addr}> följande:',
     name="Åsa Lindström", subject="Routern startar om hela tiden", hello="Hej,",
     text=["vår router startar om varje timme.", "Kan ni skicka en tekniker?"], bye="Tack,")
lang("tr", frm="Kimden", sent="Gönderildi", date="Tarih", to="Kime", cc="Bilgi", subj="Konu",
     fwd="İletilen ileti", tb="İletilen İleti", yahoo="İletilmiş Mesaj",
     apple="İleti başlangıcı:", orig="Özgün İleti", prefix="Fwd:", ol_prefix="İLT:",
     wrote='"{name}" <{addr}>, 2.03.2026 10:15 tarihinde şunu yazdı:',
     name="Ayşe Yılmaz", subject="Modem sürekli yeniden başlıyor", hello="Merhaba,",
     text=["modemimiz her saat yeniden başlıyor.", "Bir teknisyen gönderebilir misiniz?"], bye="Teşekkürler,")
lang("uk", frm="Від", sent="Надіслано", date="Дата", to="Кому", cc="Копія", subj="Тема",
     fwd="Переслане повідомлення", tb="Переслане повідомлення", yahoo="Перенаправлене повідомлення",
     apple="Початок листа, що пересилається:", orig="Оригінальне повідомлення", prefix="Fwd:", ol_prefix="Пересл:",
     wrote=None,
     name="Олена Шевченко", subject="Роутер постійно перезавантажується", hello="Добрий день,",
     text=["наш роутер перезавантажується щогодини.", "Чи можете надіслати техніка?"], bye="Дякую,")
lang("zh-Hans", frm="发件人", sent="发送时间", date="日期", to="收件人", cc="抄送", subj="主题",
     fwd="转发的邮件", tb="转发的消息", yahoo="转发的邮件",
     apple="转发的邮件：", orig="原始邮件", prefix="Fwd:", ol_prefix="转发:",
     wrote=None, colon="：",
     name="王芳", subject="路由器不停地重启", hello="您好，",
     text=["我们的路由器每小时重启一次。", "能派一名技术人员来吗？"], bye="谢谢，")
lang("zh-Hant", frm="寄件者", sent="寄件日期", date="日期", to="收件者", cc="副本", subj="主旨",
     fwd="轉寄的郵件", tb="轉寄的郵件", yahoo="轉寄的郵件",
     apple="轉寄的郵件：", orig="原始郵件", prefix="Fwd:", ol_prefix="轉寄:",
     wrote=None, colon="：",
     name="陳美玲", subject="路由器一直重新開機", hello="您好，",
     text=["我們的路由器每小時重新開機一次。", "可以派技術人員來嗎？"], bye="謝謝，")

ALL = list(L)
# Clients whose forward text is only English (or whose localisation no public
# source shows).
EN_ONLY = ["en"]
# Webmail localised into a few languages.
GMX_LANGS = ["de", "en", "fr", "es"]
IONOS_LANGS = ["de", "en", "fr", "es", "it"]
ZOHO_LANGS = ["en", "de", "fr", "es", "it", "pt", "nl", "ja", "zh-Hans"]
WROTE_LANGS = [c for c in ALL if L[c]["wrote"]]

ADDR = "customer@customer.example"
FORWARDER = "Alex Agent <alex@ourco.example>"
NOTE = "Please handle this one, they are upset.\n\nAlex"


def email_of(code):
    return "jane." + code.lower().replace("-", "") + "@customer.example"


def body_lines(d):
    return [d["hello"], ""] + d["text"] + ["", d["bye"], "Jane"]


def h(d, key):
    """A label and its colon as the language writes it."""
    return d[key] + d.get("colon", ":")


def message(file, subject, body, content_type="text/plain; charset=utf-8", extra=""):
    mid = file.replace(".eml", "") + "@ourco.example"
    return (
        f"From: {FORWARDER}\n"
        "To: cases@ourco.example\n"
        f"Subject: {subject}\n"
        "Date: Tue, 3 Mar 2026 08:00:00 +0000\n"
        f"Message-ID: <{mid}>\n"
        "MIME-Version: 1.0\n"
        f"{extra}"
        f"Content-Type: {content_type}\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        f"{body}\n"
    )


FIXTURES = []  # (file, eml, from, name, subject, first, last, quoted)


def add(file, eml, addr, name, subject, first, last, quoted=""):
    """`quoted`: the first line of the quoted history kept apart from the
    description ("" when there is none)."""
    FIXTURES.append((file, eml, addr, name, subject, first, last, quoted))


def standard(client, code, block_lines, sep_before=None, quote=""):
    """A plain-text forward: note, separator, header block, blank, body."""
    d = L[code]
    lines = [NOTE, ""]
    if sep_before is not None:
        lines.append(sep_before)
    lines += [quote + l if l else quote.rstrip() for l in block_lines]
    lines.append(quote.rstrip())
    lines += [quote + l if l else quote.rstrip() for l in body_lines(d)]
    file = f"{client}_{code}.eml"
    add(file, message(file, f"{d['prefix']} {d['subject']}", "\n".join(lines)),
        email_of(code), d["name"], d["subject"], d["hello"], "Jane")


def frm(d, code, style="angle"):
    addr = email_of(code)
    if style == "mailto":
        return f"{h(d, 'frm')} {d['name']} [mailto:{addr}]"
    if style == "quoted":
        return f'{h(d, "frm")} "{d["name"]}" <{addr}>'
    return f"{h(d, 'frm')} {d['name']} <{addr}>"


NUMDATE = "02.03.2026 10:15"


def gen():
    for code in ALL:
        d = L[code]
        # Outlook desktop (2010-2021), plain text: "-----Original Message-----"
        # and a [mailto:] sender, labels in the user's language.
        standard("outlook_desktop", code, [
            frm(d, code, "mailto"), f"{h(d, 'sent')} {NUMDATE}",
            f"{h(d, 'to')} Alex Agent", f"{h(d, 'subj')} {d['subject']}",
        ], sep_before=f"-----{d['orig']}-----")
        # Outlook desktop, HTML rule turned text: an underscore line, then the block.
        standard("outlook_rule", code, [
            frm(d, code), f"{h(d, 'sent')} {NUMDATE}",
            f"{h(d, 'to')} Alex Agent <alex@ourco.example>", f"{h(d, 'cc')} Bob <bob@ourco.example>",
            f"{h(d, 'subj')} {d['subject']}",
        ], sep_before="_" * 32)
        # New Outlook: no separator, "Date"-style label, localised.
        standard("new_outlook", code, [
            frm(d, code), f"{h(d, 'date')} {NUMDATE}",
            f"{h(d, 'to')} Alex Agent <alex@ourco.example>", f"{h(d, 'subj')} {d['subject']}",
        ])
        # Outlook for Mac: From/Date/To/Subject, "Last, First" names.
        d_mac = dict(d)
        standard("outlook_mac", code, [
            f"{h(d, 'frm')} \"{d['name']}\" <{email_of(code)}>", f"{h(d, 'date')} {NUMDATE}",
            f"{h(d, 'to')} \"Agent, Alex\" <alex@ourco.example>", f"{h(d, 'subj')} {d['subject']}",
        ])
        del d_mac
        # Outlook on the web: HTML, English labels in every locale, the
        # localised prefix on the subject.
        file = f"outlook_web_{code}.eml"
        body = "".join(f"<div>{l}</div>" if l else "<div><br></div>" for l in body_lines(d))
        html = (
            "<html><body><div>Please handle this one, they are upset.</div><div><br></div>"
            "<div>Alex</div><hr style=\"display:inline-block;width:98%\" tabindex=\"-1\">"
            "<div id=\"divRplyFwdMsg\" dir=\"ltr\"><font face=\"Calibri, sans-serif\">"
            f"<b>From:</b> {d['name']} &lt;{email_of(code)}&gt;<br>"
            f"<b>Sent:</b> Monday, March 2, 2026 10:15 AM<br>"
            "<b>To:</b> Alex Agent &lt;alex@ourco.example&gt;<br>"
            f"<b>Subject:</b> {d['subject']}</font><div>&nbsp;</div></div>"
            f"{body}</body></html>"
        )
        add(file, message(file, f"{d['ol_prefix']} {d['subject']}", html, "text/html; charset=utf-8"),
            email_of(code), d["name"], d["subject"], d["hello"], "Jane")
        # Gmail (web and mobile): English separator, From localised.
        standard("gmail", code, [
            f"{h(d, 'frm')} {d['name']} <{email_of(code)}>", "Date: Mon, Mar 2, 2026 at 10:15 AM",
            f"Subject: {d['subject']}", "To: Alex Agent <alex@ourco.example>",
        ], sep_before="---------- Forwarded message ---------")
        # Apple Mail (macOS): localised separator and labels.
        standard("apple", code, [
            "", frm(d, code), f"{h(d, 'subj')} {d['subject']}", f"{h(d, 'date')} {NUMDATE}",
            f"{h(d, 'to')} Alex Agent <alex@ourco.example>",
        ], sep_before=d["apple"])
        # Apple Mail (iOS): the block and the body quoted.
        file = f"apple_ios_{code}.eml"
        block = [frm(d, code), f"{h(d, 'date')} {NUMDATE}", f"{h(d, 'to')} alex@ourco.example",
                 f"{h(d, 'subj')} {d['subject']}"]
        quoted = [("> " + l) if l else ">" for l in block + [""] + body_lines(d)]
        text = "\n".join([NOTE, "", "Sent from my iPhone", "", d["apple"], ""] + quoted)
        add(file, message(file, f"{d['prefix']} {d['subject']}", text),
            email_of(code), d["name"], d["subject"], d["hello"], "Jane")
        # Thunderbird: eight dashes, Subject first.
        standard("thunderbird", code, [
            f"{h(d, 'subj')} \t{d['subject']}", f"{h(d, 'date')} \tMon, 2 Mar 2026 10:15:00 +0100",
            f"{h(d, 'frm')} \t{d['name']} <{email_of(code)}>", f"{h(d, 'to')} \tAlex Agent <alex@ourco.example>",
        ], sep_before=f"-------- {d['tb']} --------")
        # Yahoo: five dashes, one header per line...
        standard("yahoo", code, [
            frm(d, code), f"{h(d, 'to')} Alex Agent <alex@ourco.example>",
            f"{h(d, 'sent')} Monday, March 2, 2026, 10:15:00 AM GMT", f"{h(d, 'subj')} {d['subject']}",
        ], sep_before=f"----- {d['yahoo']} -----")
        # ...and run together on the separator's line.
        one = (f"----- {d['yahoo']} ----- {frm(d, code)} {h(d, 'to')} Alex Agent <alex@ourco.example> "
               f"{h(d, 'sent')} Monday, March 2, 2026, 10:15:00 AM GMT {h(d, 'subj')} {d['subject']}")
        file = f"yahoo_oneline_{code}.eml"
        text = "\n".join([NOTE, "", one, ""] + body_lines(d))
        add(file, message(file, f"{d['prefix']} {d['subject']}", text),
            email_of(code), d["name"], d["subject"], d["hello"], "Jane")
        # ...and as Yahoo's web mail really writes it: labels glued to the
        # previous value, the body on the next line after a space.
        glued = (f"   ----- {d['yahoo']} ----- {frm(d, code)}{h(d, 'to')} \"alex@ourco.example\" <alex@ourco.example>"
                 f"{h(d, 'cc')} Bob <bob@ourco.example>; Carol <carol@ourco.example>"
                 f"{h(d, 'sent')} Monday, March 2, 2026, 10:15:00 MEZ{h(d, 'subj')} {d['subject']}")
        file = f"yahoo_glued_{code}.eml"
        text = "\n".join([NOTE, "", glued, " " + body_lines(d)[0]] + body_lines(d)[1:])
        add(file, message(file, f"{d['prefix']} {d['subject']}", text),
            email_of(code), d["name"], d["subject"], d["hello"], "Jane")
        # HubSpot: ten dashes around a localised phrase, From/Date/Subject/To/Cc.
        hub = dict(d, frm=d.get("hub_frm", d["frm"]), to=d.get("hub_to", d["to"]))
        standard("hubspot", code, [
            frm(hub, code), f"{h(d, 'date')} {NUMDATE}", f"{h(d, 'subj')} {d['subject']}",
            f"{h(hub, 'to')} alex@ourco.example", f"{h(d, 'cc')} Bob <bob@ourco.example>",
        ], sep_before=f"---------- {d.get('hub_fwd', d['fwd'])} ---------")
        # Samsung Email: "-------- Original message --------", localised.
        standard("samsung", code, [
            frm(d, code), f"{h(d, 'date')} {NUMDATE} (GMT+01:00)",
            f"{h(d, 'to')} alex@ourco.example", f"{h(d, 'subj')} {d['subject']}",
        ], sep_before=f"-------- {d['orig']} --------")
    for code in WROTE_LANGS:
        # Outlook 2019: an attribution line and the original indented.
        d = L[code]
        file = f"outlook_2019_{code}.eml"
        wrote = d["wrote"].format(name=d["name"], addr=email_of(code))
        lines = [NOTE, "", wrote, ""] + [("    " + l) if l else "" for l in body_lines(d)]
        add(file, message(file, f"{d['ol_prefix']} {d['subject']}", "\n".join(lines)),
            email_of(code), d["name"], d["subject"], d["hello"], "Jane")
    for code in GMX_LANGS:
        # GMX / Web.de: the date first, then From (quoted name), no separator.
        d = L[code]
        standard("gmx", code, [
            f"{h(d, 'sent')} Montag, 02. März 2026 um 10:15 Uhr" if code == "de"
            else f"{h(d, 'sent')} {NUMDATE}",
            f'{h(d, "frm")} "{d["name"]}" <{email_of(code)}>',
            f"{h(d, 'to')} alex@ourco.example", f"{h(d, 'subj')} {d['subject']}",
        ], sep_before=f"-------- {d['tb']} --------" if code == "de" else None)
    for code in IONOS_LANGS:
        # IONOS (1&1): ten dashes "Original Message", everything quoted.
        d = L[code]
        standard("ionos", code, [
            f"---------- {d['orig']} ----------", frm(d, code),
            f'{h(d, "to")} "alex@ourco.example" <alex@ourco.example>',
            f"{h(d, 'date')} 02/03/2026 10:15 CET", f"{h(d, 'subj')} {d['subject']}",
        ], quote="> ")
    for code in ZOHO_LANGS:
        # Zoho Mail: "=" rules around the phrase, and the same rule after the block.
        d = L[code]
        sep = f"============ {d['fwd']} ============"
        standard("zoho", code, [
            f"{d['frm']} : {d['name']} <{email_of(code)}>", f"{d['to']} : <alex@ourco.example>",
            f"{d['date']} : Mon, 02 Mar 2026 10:15:00 +0100", f"{d['subj']} : {d['subject']}", sep,
        ], sep_before=sep)
    d = L["en"]
    # Missive: Gmail's separator, the body quoted.
    file = "missive_en.eml"
    text = "\n".join([NOTE, "", "---------- Forwarded message ----------", frm(d, "en"),
                      "Date: March 2, 2026 at 10:15 AM", "To: alex@ourco.example",
                      f"Subject: {d['subject']}", ""] + [("> " + l) if l else ">" for l in body_lines(d)])
    add(file, message(file, f"Fwd: {d['subject']}", text), email_of("en"), d["name"], d["subject"],
        d["hello"], "Jane")
    # MailMate: "Forwarded message:" and a quoted block.
    file = "mailmate_en.eml"
    text = "\n".join([NOTE, "", "Forwarded message:", ""] + [
        ("> " + l) if l else ">" for l in [frm(d, "en"), "To: alex@ourco.example",
                                           f"Subject: {d['subject']}", "Date: 2 Mar 2026, at 10:15", ""]
        + body_lines(d)])
    add(file, message(file, f"Fwd: {d['subject']}", text), email_of("en"), d["name"], d["subject"],
        d["hello"], "Jane")
    # Spark: Gmail-like separator, "Date: 2 March 2026 at 10:15:00".
    standard("spark", "en", [
        frm(d, "en"), "Date: 2 March 2026 at 10:15:00 CET", f"Subject: {d['subject']}",
        "To: Alex Agent <alex@ourco.example>",
    ], sep_before="---------- Forwarded message ----------")
    special()
    wrapped_attributions()
    quoted_histories()
    names_without_address()


def wrap(line, how, addr, name):
    """An attribution line wrapped over two lines as a client's line length
    cuts it: after the mailbox (the verb on the next line), inside the name,
    or inside the address."""
    if how == "in_address":
        at = line.index(addr) + addr.index("@") + len("@customer.")
        return [line[:at], line[at:]]
    if how == "in_name" and " " in name:
        at = line.index(name) + name.index(" ")
        return [line[:at], line[at + 1:]]
    close = line.index(addr) + len(addr) + 1
    rest = line[close:].strip()
    if rest and rest != ":":
        return [line[:close].rstrip(), rest]
    # Nothing but the colon after the mailbox: the mailbox goes down.
    at = line.rindex("<", 0, close)
    cut = line[:at].rstrip().rstrip("(").rstrip()
    return [cut, line[len(cut):].strip()]


WRAPS = ["after_mailbox", "in_name", "in_address"]


def wrapped_attributions():
    # Outlook 2019's attribution line wrapped over two lines, three ways.
    for i, code in enumerate(WROTE_LANGS):
        d = L[code]
        for how in ([WRAPS[i % 3], WRAPS[(i + 1) % 3]] if code in ("en", "de", "fr") else [WRAPS[i % 3]]):
            file = f"outlook_2019_wrapped_{how}_{code}.eml"
            wrote = d["wrote"].format(name=d["name"], addr=email_of(code))
            two = wrap(wrote, how, email_of(code), d["name"])
            lines = [NOTE, ""] + two + [""] + [("    " + l) if l else "" for l in body_lines(d)]
            add(file, message(file, f"{d['ol_prefix']} {d['subject']}", "\n".join(lines)),
                email_of(code), d["name"], d["subject"], d["hello"], "Jane")


OLD = "Max Muster <max@supplier.example>"


def quoted_histories():
    """A customer's mail whose client quoted history below their text: the
    description stops at their text, the history is kept apart."""
    for i, code in enumerate(ALL):
        d = L[code]
        old_subject = f"{d['subject']}"
        # Outlook (desktop) forward; the customer's Outlook put a localised
        # header block above the message they answer.
        history = [f"{h(d, 'frm')} {OLD}", f"{h(d, 'sent')} {NUMDATE}", f"{h(d, 'to')} {d['name']}",
                   f"{h(d, 'subj')} {old_subject}", "", d["text"][0]]
        quoted_fixture(f"quoted_outlook_block_{code}", code, "outlook", history)
        # Gmail forward; the history under a localised "Original Message" line.
        history = [f"-----{d['orig']}-----", f"{h(d, 'frm')} {OLD}", f"{h(d, 'date')} {NUMDATE}",
                   f"{h(d, 'subj')} {old_subject}", "", d["text"][0]]
        quoted_fixture(f"quoted_original_{code}", code, "gmail", history)
        if d["wrote"]:
            # Apple Mail forward; the history an attribution line (every
            # other one wrapped) above a quoted block.
            wrote = d["wrote"].format(name="Max Muster", addr="max@supplier.example")
            lines = [wrote] if i % 2 else wrap(wrote, WRAPS[i % 3], "max@supplier.example", "Max Muster")
            quoted_fixture(f"quoted_wrote_{code}", code, "apple", lines + ["> " + d["text"][0], ">", "> Max"])
        else:
            # Thunderbird forward; the history a quoted block alone.
            quoted_fixture(f"quoted_block_{code}", code, "thunderbird", ["> " + d["text"][0], "> Max"])
    d = L["en"]
    for tag, lines in [
        ("gmail_reply_en", ["On Sun, Mar 1, 2026 at 9:00 AM Max Muster <max@supplier.example> wrote:",
                            "> The part ships on Monday.", ">", "> Max"]),
        ("gmail_reply_wrapped_en", ["On Sun, Mar 1, 2026 at 9:00 AM Max Muster <",
                                    "max@supplier.example> wrote:", "> The part ships on Monday."]),
        ("apple_reply_en", ["On 1 Mar 2026, at 09:00, Max Muster <max@supplier.example> wrote:", "",
                            "> The part ships on Monday."]),
        ("thunderbird_no_address_en", ["On 01/03/2026 09:00, Max Muster wrote:", "> The part ships on Monday."]),
        ("thunderbird_no_address_de", ["Am 01.03.2026 um 09:00 schrieb Max Muster:", "> Das Teil kommt Montag."]),
        ("thunderbird_separator_en", ["-------- Original Message --------", "Subject: Parts",
                                      "Date: Sun, 1 Mar 2026 09:00:00 +0100", f"From: {OLD}", "",
                                      "The part ships on Monday."]),
        ("yahoo_oneline_en", ["----- Original Message ----- From: Max Muster <max@supplier.example> "
                              "To: Jane Doe <jane.en@customer.example> Sent: Sunday, March 1, 2026, 9:00 AM "
                              "Subject: Parts", "", "The part ships on Monday."]),
        ("outlook_rule_en", ["________________________________", f"From: {OLD}",
                             "Sent: Sunday, March 1, 2026 9:00 AM", "To: Jane Doe", "Subject: Parts", "",
                             "The part ships on Monday."]),
        ("gmx_en", ["Sent: Sunday, 01 March 2026 at 09:00", f"From: \"Max Muster\" <max@supplier.example>",
                    "To: jane.en@customer.example", "Subject: Parts", "", "The part ships on Monday."]),
    ]:
        quoted_fixture(f"quoted_{tag}", tag.rsplit("_", 1)[1], "outlook", lines)
    # A message the customer forwards below their text is what they pass on:
    # it stays in the description (a forward separator, or a Fwd:/WG:/TR:
    # subject above Outlook's header block).
    for tag, code, lines in [
        ("apple_en", "en", ["Begin forwarded message:", "", f"From: {OLD}", "Subject: Parts",
                            "Date: 1 March 2026 at 09:00:00 CET", "", "The part ships on Monday."]),
        ("thunderbird_de", "de", ["-------- Weitergeleitete Nachricht --------", "Betreff: Teile",
                                  "Datum: Sun, 1 Mar 2026 09:00:00 +0100", f"Von: {OLD}", "",
                                  "Das Teil kommt Montag."]),
        ("yahoo_fr", "fr", ["----- Message transmis -----", f"De : {OLD}", "À : Jane", "Envoyé : dimanche 1 mars 2026",
                            "Objet : Pièces", "", "La pièce arrive lundi."]),
    ]:
        quoted_fixture(f"passed_on_{tag}", code, "gmail", lines, passed_on=True)
    for code in ["en", "de", "fr", "es"]:
        # Outlook's header block under a forward subject (`FW:`, `WG:`, `TR:`, `RV:`).
        d = L[code]
        lines = [f"{h(d, 'frm')} {OLD}", f"{h(d, 'sent')} {NUMDATE}", f"{h(d, 'to')} {d['name']}",
                 f"{h(d, 'subj')} Parts", "", "The part ships on Monday."]
        quoted_fixture(f"passed_on_outlook_{code}", code, "outlook", lines, passed_on=True,
                       inner_subject=f"{d['ol_prefix']} {d['subject']}")


def quoted_fixture(stem, code, client, history, passed_on=False, inner_subject=None):
    """`passed_on`: the lines below the customer's text are a message they
    forward, which stays in the description."""
    d = L[code]
    inner = inner_subject or d["subject"]
    own = body_lines(d)
    body = own + [""] + history
    if client == "outlook":
        block = [frm(d, code, "mailto"), f"{h(d, 'sent')} {NUMDATE}", f"{h(d, 'to')} Alex Agent",
                 f"{h(d, 'subj')} {inner}"]
        sep = f"-----{d['orig']}-----"
    elif client == "gmail":
        block = [frm(d, code), "Date: Mon, Mar 2, 2026 at 10:15 AM", f"Subject: {d['subject']}",
                 "To: Alex Agent <alex@ourco.example>"]
        sep = "---------- Forwarded message ---------"
    elif client == "apple":
        block = ["", frm(d, code), f"{h(d, 'subj')} {d['subject']}", f"{h(d, 'date')} {NUMDATE}",
                 f"{h(d, 'to')} Alex Agent <alex@ourco.example>"]
        sep = d["apple"]
    else:
        block = [f"{h(d, 'subj')} \t{d['subject']}", f"{h(d, 'date')} \tMon, 2 Mar 2026 10:15:00 +0100",
                 f"{h(d, 'frm')} \t{d['name']} <{email_of(code)}>",
                 f"{h(d, 'to')} \tAlex Agent <alex@ourco.example>"]
        sep = f"-------- {d['tb']} --------"
    text = "\n".join([NOTE, "", sep] + block + [""] + body)
    file = f"{stem}.eml"
    if passed_on:
        add(file, message(file, f"{d['prefix']} {d['subject']}", text), email_of(code), d["name"],
            d["subject"], d["hello"], history[-1])
        return
    add(file, message(file, f"{d['prefix']} {d['subject']}", text), email_of(code), d["name"],
        d["subject"], d["hello"], "Jane", history[0].split(" From:")[0])


# Signature addresses that fit the language's name (a word of the name in them).
SIGNED = {"en": "jane.doe", "de": "joerg.mueller", "fr": "helene.lefevre", "es": "jose.nunez",
          "nl": "sanne.devries", "pt-BR": "luiza.araujo", "sv": "asa.lindstrom", "tr": "ayse.yilmaz"}


def names_without_address():
    """Outlook prints `From: Jane Doe` for a contact of the address book: the
    best address there is (another line of the block, the signature when it
    is unambiguous), else the name and no address; never the forwarder."""
    layouts = ["outlook_desktop", "outlook_rule", "new_outlook", "outlook_mac"]
    for i, code in enumerate(["en", "de", "fr", "es", "it", "nl", "sv", "pl", "ja", "ru", "zh-Hans", "ko",
                              "pt-BR", "tr", "fi", "cs"]):
        d = L[code]
        layout = layouts[i % len(layouts)]
        no_address(f"no_address_{layout}_{code}", code, layout, [], body_lines(d), "", d["name"])
    for code, local in SIGNED.items():
        d = L[code]
        addr = f"{local}@customer.example"
        sig = body_lines(d) + ["Acme Ltd", f"{addr} | +1 555 0100"]
        no_address(f"no_address_signature_{code}", code, layouts[len(code) % 4], [], sig, addr, d["name"],
                   last=sig[-1])
    for code in ["en", "de"]:
        d = L[code]
        sig = body_lines(d) + ["Acme Ltd", "jane.doe@customer.example", "orders: sales@customer.example"]
        no_address(f"no_address_two_in_signature_{code}", code, "outlook_desktop", [], sig, "", d["name"],
                   last=sig[-1])
    for code in ["en", "de", "fr"]:
        d = L[code]
        no_address(f"no_address_reply_to_{code}", code, "outlook_desktop",
                   [f"Reply-To: {d['name']} <{email_of(code)}>"], body_lines(d), email_of(code), d["name"])
    for code in ["en", "fr", "ja"]:
        # Outlook on the web, HTML.
        d = L[code]
        file = f"no_address_outlook_web_{code}.eml"
        body = "".join(f"<div>{l}</div>" if l else "<div><br></div>" for l in body_lines(d))
        html = (
            "<html><body><div>Please handle this one, they are upset.</div><div><br></div>"
            "<div>Alex</div><hr style=\"display:inline-block;width:98%\" tabindex=\"-1\">"
            "<div id=\"divRplyFwdMsg\" dir=\"ltr\"><font face=\"Calibri, sans-serif\">"
            f"<b>From:</b> {d['name']}<br>"
            f"<b>Sent:</b> Monday, March 2, 2026 10:15 AM<br>"
            "<b>To:</b> Alex Agent &lt;alex@ourco.example&gt;<br>"
            f"<b>Subject:</b> {d['subject']}</font><div>&nbsp;</div></div>"
            f"{body}</body></html>"
        )
        add(file, message(file, f"{d['ol_prefix']} {d['subject']}", html, "text/html; charset=utf-8"),
            "", d["name"], d["subject"], d["hello"], "Jane")


def no_address(stem, code, layout, extra, body, addr, name, last="Jane"):
    d = L[code]
    sender = f"{h(d, 'frm')} {d['name']}"
    if layout == "outlook_desktop":
        sep, block = f"-----{d['orig']}-----", [sender] + extra + [f"{h(d, 'sent')} {NUMDATE}",
                                                                  f"{h(d, 'to')} Alex Agent",
                                                                  f"{h(d, 'subj')} {d['subject']}"]
    elif layout == "outlook_rule":
        sep, block = "_" * 32, [sender] + extra + [f"{h(d, 'sent')} {NUMDATE}",
                                                  f"{h(d, 'to')} Alex Agent <alex@ourco.example>",
                                                  f"{h(d, 'subj')} {d['subject']}"]
    elif layout == "new_outlook":
        sep, block = None, [sender] + extra + [f"{h(d, 'date')} {NUMDATE}",
                                              f"{h(d, 'to')} Alex Agent <alex@ourco.example>",
                                              f"{h(d, 'subj')} {d['subject']}"]
    else:
        sep, block = None, [f"{h(d, 'frm')} \"{d['name']}\""] + extra + [
            f"{h(d, 'date')} {NUMDATE}", f"{h(d, 'to')} \"Agent, Alex\" <alex@ourco.example>",
            f"{h(d, 'subj')} {d['subject']}"]
    text = "\n".join([NOTE, ""] + ([sep] if sep else []) + block + [""] + body)
    file = f"{stem}.eml"
    add(file, message(file, f"{d['ol_prefix']} {d['subject']}", text), addr, name, d["subject"], d["hello"],
        last)


def special():
    d = L["en"]
    jane = "jane.doe@customer.example"
    body = body_lines(d)
    # A forward of a colleague's forward: both staff, so the customer is two deep.
    file = "special_fwd_of_staff_fwd.eml"
    text = "\n".join([NOTE, "", "---------- Forwarded message ---------",
                      "From: Bob Colleague <bob@ourco.example>", "Date: Mon, Mar 2, 2026 at 11:00 AM",
                      f"Subject: Fwd: {d['subject']}", "To: Alex Agent <alex@ourco.example>", "",
                      "Alex, this one is yours.", "", "Bob", "",
                      "---------- Forwarded message ---------", f"From: Jane Doe <{jane}>",
                      "Date: Mon, Mar 2, 2026 at 10:15 AM", f"Subject: {d['subject']}",
                      "To: Bob Colleague <bob@ourco.example>", ""] + body)
    add(file, message(file, f"Fwd: Fwd: {d['subject']}", text), jane, "Jane Doe", d["subject"],
        d["hello"], "Jane")
    # A customer who forwards a supplier's mail: the customer is the contact,
    # the supplier's mail is part of the description.
    file = "special_customer_forwarded_third_party.eml"
    text = "\n".join([NOTE, "", "---------- Forwarded message ---------",
                      f"From: Jane Doe <{jane}>", "Date: Mon, Mar 2, 2026 at 10:15 AM",
                      "Subject: Fwd: Delivery delayed", "To: Alex Agent <alex@ourco.example>", "",
                      "See below, this is the third delay.", "",
                      "---------- Forwarded message ---------", "From: Supplier <orders@supplier.example>",
                      "Date: Sun, Mar 1, 2026 at 9:00 AM", "Subject: Delivery delayed",
                      "To: Jane Doe <jane.doe@customer.example>", "", "Your delivery is delayed."])
    add(file, message(file, "Fwd: Fwd: Delivery delayed", text), jane, "Jane Doe", "Delivery delayed",
        "See below, this is the third delay.", "Your delivery is delayed.")
    # A customer's mail with its own quoted history (a Von: … [mailto:] block
    # inside her text): not dug into.
    file = "special_quoted_history.eml"
    text = "\n".join([NOTE, "", "________________________________",
                      f"From: Jane Doe <{jane}>", "Sent: Monday, March 2, 2026 10:15 AM",
                      "To: Alex Agent <alex@ourco.example>", "Subject: AW: Router keeps rebooting", "",
                      "Hello,", "", "still broken, see our earlier mail.", "", "Jane", "",
                      "Von: Max Mustermann [mailto:max@supplier.example]", "Gesendet: Freitag, 27. Februar 2026 09:00",
                      "An: Jane Doe", "Betreff: Router keeps rebooting", "", "Wir prüfen das.", "Max"])
    add(file, message(file, "FW: AW: Router keeps rebooting", text), jane, "Jane Doe",
        "Router keeps rebooting", "Hello,", "Jane", "Von: Max Mustermann [mailto:max@supplier.example]")
    # A forward with no body at all.
    file = "special_no_body.eml"
    text = "\n".join([NOTE, "", "---------- Forwarded message ---------", f"From: Jane Doe <{jane}>",
                      "Date: Mon, Mar 2, 2026 at 10:15 AM", f"Subject: {d['subject']}",
                      "To: Alex Agent <alex@ourco.example>", ""])
    add(file, message(file, f"Fwd: {d['subject']}", text), jane, "Jane Doe", d["subject"], "", "")
    # Addresses as clients print them.
    for tag, value, addr, name in [
        ("mailto_angle", f"Jane Doe <mailto:{jane}>", jane, "Jane Doe"),
        ("double_mailto", f"Jane Doe <{jane}<mailto:{jane}>>", jane, "Jane Doe"),
        ("comma_name", f"Doe, Jane <{jane}>", jane, "Doe, Jane"),
        ("dotless_domain", "Jane Doe <jane@intranet>", "jane@intranet", "Jane Doe"),
        ("empty_first", '"Acme Ltd" <>, LTD <ly@example.com>', "ly@example.com", "LTD"),
        ("encoded_name", "=?UTF-8?B?" + base64.b64encode("Jörg Müller".encode()).decode()
         + "?= <jm@customer.example>", "jm@customer.example", "Jörg Müller"),
    ]:
        file = f"special_address_{tag}.eml"
        text = "\n".join([NOTE, "", "-----Original Message-----", f"From: {value}",
                          "Sent: Monday, March 2, 2026 10:15 AM", "To: Alex Agent",
                          f"Subject: {d['subject']}", ""] + body)
        add(file, message(file, f"FW: {d['subject']}", text), addr, name, d["subject"], d["hello"], "Jane")
    # Subject prefixes piled up, in several languages, on the original itself.
    for tag, subj in [("tr", "İLT: YNT: Modem sürekli yeniden başlıyor"),
                      ("mixed", "RE: AW: Fwd: WG: Router keeps rebooting"),
                      ("ru", "ПЕРЕСЛ: Ответ: Роутер постоянно перезагружается"),
                      ("zh", "转发: 回复: 路由器不停地重启"),
                      ("counter", "Re[2]: Fw: Router keeps rebooting")]:
        file = f"special_prefixes_{tag}.eml"
        want = subj
        while True:
            head, sep, rest = want.partition(":")
            if not sep or len(head) > 12 or " " in head.strip():
                break
            want = rest.strip()
        text = "\n".join([NOTE, "", "-----Original Message-----", f"From: Jane Doe <{jane}>",
                          "Sent: Monday, March 2, 2026 10:15 AM", "To: Alex Agent",
                          f"Subject: {subj}", ""] + body)
        add(file, message(file, f"FW: {subj}", text), jane, "Jane Doe", want, d["hello"], "Jane")
    # rfc822 forwards: the customer's mail attached; and a customer's mail
    # that itself carries an attached message (not dug into).
    inner = (f"From: Jane Doe <{jane}>\nTo: alex@ourco.example\nSubject: {d['subject']}\n"
             "Date: Mon, 2 Mar 2026 10:15:00 +0000\nMessage-ID: <orig-1@customer.example>\n"
             "Content-Type: text/plain; charset=utf-8\n\n" + "\n".join(body) + "\n")
    file = "special_rfc822.eml"
    add(file, rfc822(file, inner), jane, "Jane Doe", d["subject"], d["hello"], "Jane")
    carried = ("From: Supplier <orders@supplier.example>\nTo: jane.doe@customer.example\n"
               "Subject: Delivery delayed\nDate: Sun, 1 Mar 2026 09:00:00 +0000\n"
               "Content-Type: text/plain; charset=utf-8\n\nYour delivery is delayed.\n")
    inner2 = (f"From: Jane Doe <{jane}>\nTo: alex@ourco.example\nSubject: Fwd: Delivery delayed\n"
              "Date: Mon, 2 Mar 2026 10:15:00 +0000\nMessage-ID: <orig-2@customer.example>\n"
              "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"inner-b\"\n\n"
              "--inner-b\nContent-Type: text/plain; charset=utf-8\n\n"
              "This is the third delay, the supplier's mail is attached.\n\nJane\n"
              "--inner-b\nContent-Type: message/rfc822\n\n" + carried + "\n--inner-b--\n")
    file = "special_rfc822_carrying_a_message.eml"
    add(file, rfc822(file, inner2), jane, "Jane Doe", "Delivery delayed",
        "This is the third delay, the supplier's mail is attached.", "Jane")


def rfc822(file, inner):
    b = "outer-" + file.replace(".eml", "")
    body = (f"--{b}\nContent-Type: text/plain; charset=utf-8\n\n{NOTE}\n\n"
            f"--{b}\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"original.eml\"\n\n"
            f"{inner}\n--{b}--")
    return message(file, "Fwd: see attached", body, f'multipart/mixed; boundary="{b}"')


def main():
    gen()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    seen = set()
    rows = ["file\tfrom\tname\tsubject\tfirst\tlast\tquoted"]
    for file, eml, addr, name, subject, first, last, quoted in FIXTURES:
        assert file not in seen, file
        seen.add(file)
        with open(os.path.join(OUT, file), "w", encoding="utf-8") as f:
            f.write(eml)
        rows.append("\t".join([file, addr, name, subject, first, last, quoted]))
    with open(os.path.join(OUT, "expected.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print(f"{len(FIXTURES)} fixtures in {OUT}")


if __name__ == "__main__":
    main()
