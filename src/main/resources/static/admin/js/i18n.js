// Turkish by default, English on the switch. The choice (not a secret) is remembered in localStorage.

const texts = {
  tr: {
    'app.title': 'Kapı Yönetim',
    'nav.dashboard': 'Gösterge paneli', 'nav.users': 'Kullanıcılar', 'nav.audit': 'Denetim kaydı',
    'nav.inbox': 'İstek kutusu', 'nav.queues': 'Mesaj kuyrukları', 'nav.bots': 'Ticaret botları',
    'nav.signOut': 'Çıkış', 'nav.language': 'English',
    'nav.clients': 'OAuth istemcileri', 'clients.name': 'Ad', 'clients.clientId': 'client_id', 'clients.type': 'Tür',
    'clients.grants': 'İzin türleri', 'clients.redirects': 'Yönlendirme adresleri (satır başına bir)',
    'clients.postLogout': 'Çıkış sonrası adresler', 'clients.scopes': 'Kapsamlar (boşlukla ayrılmış)',
    'clients.requireConsent': 'Kullanıcıdan onay iste', 'clients.backchannel': 'Arka kanal çıkış adresi',
    'clients.new': 'Yeni istemci', 'clients.create': 'Kaydet', 'clients.created': 'İstemci kaydedildi',
    'clients.confidential': 'Gizli (sunucu)', 'clients.public': 'Açık (tarayıcı, CLI)',
    'clients.secretOnce': 'İstemci sırrı yalnızca şimdi gösteriliyor; saklayın, bir daha gösterilmeyecek:',
    'clients.rotate': 'Sırrı yenile', 'clients.delete': 'Sil', 'clients.deleted': 'İstemci silindi',
    'clients.confirmDelete': 'İstemci, kullanıcıların verdiği onaylar ve belirteçleriyle birlikte silinsin mi?',
    'nav.identityProviders': 'Kimlik sağlayıcıları', 'idp.alias': 'Takma ad (alias)', 'idp.type': 'Tür',
    'idp.displayName': 'Görünen ad', 'idp.displayNameHelp': 'Boşsa hazır ayarın adı', 'idp.enabled': 'Etkin',
    'idp.linkByVerifiedEmail': 'Doğrulanmış e-postayla mevcut hesaba bağla',
    'idp.trustProviderMfa': 'Sağlayıcının iki adımlı doğrulamasına güven', 'idp.preset': 'Sağlayıcı',
    'idp.preset.google': 'Google', 'idp.preset.microsoft': 'Microsoft (kiracıyla)', 'idp.preset.github': 'GitHub',
    'idp.preset.oidc': 'Başka bir OpenID sağlayıcısı (issuer)', 'idp.tenant': 'Microsoft kiracısı (tenant)',
    'idp.issuer': 'Issuer adresi', 'idp.clientId': 'client_id', 'idp.clientSecret': 'İstemci sırrı (client_secret)',
    'idp.secretWriteOnly': 'Sır yalnızca yazılır: kaydedildikten sonra hiçbir yerde gösterilmez.',
    'idp.secretKeep': 'Boş bırakırsanız kayıtlı sır aynen kalır; yazarsanız yenisiyle değişir. Kayıtlı sır gösterilmez.',
    'idp.scopes': 'Kapsamlar (boşlukla ayrılmış)', 'idp.scopesHelp': 'Boşsa sağlayıcının varsayılanları',
    'idp.domains': 'İzin verilen e-posta alan adları (boşsa hepsi)', 'idp.new': 'Yeni sağlayıcı', 'idp.create': 'Ekle',
    'idp.created': 'Sağlayıcı eklendi.', 'idp.editTitle': 'Düzenle:', 'idp.edit': 'Düzenle', 'idp.enable': 'Etkinleştir',
    'idp.disable': 'Devre dışı bırak', 'idp.enabledNow': 'Sağlayıcı etkinleştirildi.',
    'idp.disabled': 'Sağlayıcı devre dışı bırakıldı.', 'idp.delete': 'Sil', 'idp.deleted': 'Sağlayıcı silindi.',
    'idp.confirmDelete': 'Sağlayıcı, onunla bağlanmış kimliklerle birlikte silinsin mi? Bu kullanıcılar diğer giriş yollarını kullanır.',
    'signIn.title': 'Yönetici girişi', 'signIn.username': 'E-posta veya kullanıcı adı', 'signIn.password': 'Şifre',
    'signIn.submit': 'Giriş yap', 'signIn.notAdmin': 'Bu panel yalnızca yöneticiler içindir.',
    'signIn.ended': 'Oturumunuz sona erdi; lütfen tekrar giriş yapın.',
    'signIn.secondFactor': 'İkinci doğrulama', 'signIn.code': 'Doğrulama kodu ya da kurtarma kodu',
    'signIn.secondFactorHelp': 'Doğrulama uygulamanızdaki 6 haneli kodu ya da kurtarma kodlarınızdan birini girin.',
    'signIn.verify': 'Doğrula', 'signIn.passkey': 'Geçiş anahtarıyla giriş yap',
    'signIn.usePasskey': 'Geçiş anahtarı kullan', 'nav.account': 'Hesabım',
    'reauth.title': 'Kimliğinizi doğrulayın',
    'reauth.help': 'Bu değişiklik için son birkaç dakika içinde kimliğinizi doğrulamanız gerekiyor. Şifrenizi ya da, ikinci doğrulamanız varsa, doğrulama uygulamanızdaki 6 haneli kodu girin.',
    'reauth.proof': 'Şifre ya da doğrulama kodu', 'reauth.confirm': 'Doğrula ve devam et', 'reauth.cancel': 'Vazgeç',
    'account.title': 'Geçiş anahtarlarım', 'account.addPasskey': 'Geçiş anahtarı ekle', 'account.label': 'Ad',
    'account.add': 'Ekle', 'account.added': 'Geçiş anahtarı eklendi.', 'user.passkeys': 'Geçiş anahtarı',
    'user.factors': 'İkinci doğrulama', 'user.totp': 'Doğrulama uygulaması (TOTP)',
    'user.recoveryLeft': 'Kalan kurtarma kodu', 'user.removeFactors': 'Doğrulama yöntemlerini kaldır',
    'user.confirmRemoveFactors': 'Kullanıcının tüm ikinci doğrulama yöntemleri kaldırılsın mı? Yalnız şifresiyle giriş yapabilecek.',
    'user.factorsRemoved': 'İkinci doğrulama yöntemleri kaldırıldı.', 'user.factorRequired': 'Bu tür için zorunlu',
    'common.loading': 'Yükleniyor…', 'common.next': 'Sonraki sayfa', 'common.first': 'İlk sayfa',
    'common.save': 'Kaydet', 'common.cancel': 'Vazgeç', 'common.search': 'Ara', 'common.all': 'Tümü',
    'common.none': 'Kayıt yok.', 'common.yes': 'Evet', 'common.no': 'Hayır', 'common.back': '← Geri',
    'common.status': 'Durum', 'common.created': 'Oluşturulma', 'common.user': 'Kullanıcı', 'common.saved': 'Kaydedildi.',
    'dash.range': 'Aralık', 'dash.apply': 'Göster', 'dash.activeNow': 'Şu an aktif kullanıcı',
    'dash.signUps': 'Yeni kayıt', 'dash.logins': 'Giriş', 'dash.requests': 'İstek (son 60 dk)',
    'dash.errorRate': 'Hata oranı (5xx)', 'dash.perDay': 'Günlük kayıt ve giriş', 'dash.perMinute': 'Dakikalık istek',
    'dash.errorsPerMinute': 'Dakikalık hata oranı', 'dash.usage': 'Kullanıcı başına kullanım (harcanan kredi)',
    'dash.endpoints': 'Uç noktalar', 'dash.counts': 'Durumlara göre', 'dash.queues': 'Kuyruklar', 'dash.bots': 'Botlar',
    'dash.inbox': 'İstekler', 'dash.method': 'Yöntem', 'dash.uri': 'Adres', 'dash.meanMillis': 'Ort. ms',
    'dash.clientErrors': '4xx', 'dash.serverErrors': '5xx', 'dash.credits': 'Kredi', 'dash.messages': 'Mesaj',
    'dash.activeBots': 'Aktif bot', 'dash.instance': 'Trafik bu sunucunun kendi ölçümleridir.',
    'users.search': 'Ad, e-posta veya kullanıcı adı', 'users.type': 'Tür', 'users.new': 'Yeni kullanıcı',
    'users.username': 'Kullanıcı adı', 'users.name': 'Ad', 'users.surname': 'Soyad', 'users.email': 'E-posta',
    'users.password': 'Şifre', 'users.phone': 'Telefon', 'users.active': 'Aktif', 'users.credit': 'Kredi',
    'users.debit': 'Borç', 'users.create': 'Oluştur', 'users.created': 'Kullanıcı oluşturuldu.',
    'user.edit': 'Bilgiler', 'user.deactivate': 'Deaktif et', 'user.delete': 'Kalıcı olarak sil',
    'user.confirmDeactivate': 'Bu kullanıcı deaktif edilsin mi? Oturumları hemen sona erer.',
    'user.confirmDelete': 'Bu kullanıcı kalıcı olarak silinsin mi? Bu geri alınamaz.',
    'user.loadCredits': 'Kredi yükle', 'user.amount': 'Miktar', 'user.note': 'Not', 'user.load': 'Yükle',
    'user.loaded': 'Kredi yüklendi.', 'user.ledger': 'Kredi hareketleri', 'user.kind': 'Tür', 'user.reason': 'Sebep',
    'user.sessions': 'Oturumlar', 'user.ip': 'IP', 'user.agent': 'Tarayıcı', 'user.lastUsed': 'Son kullanım',
    'user.expires': 'Bitiş', 'user.end': 'Sonlandır', 'user.packages': 'Paketler', 'user.package': 'Paket',
    'user.validUntil': 'Geçerlilik', 'user.startsAt': 'Başlangıç', 'user.give': 'Paket ver', 'user.remove': 'Kaldır', 'user.days': 'gün',
    'user.packageGiven': 'Paket verildi.', 'user.contents': 'İçerik', 'user.deactivated': 'Kullanıcı deaktif edildi.',
    'audit.type': 'Olay türü', 'audit.account': 'Hesap no', 'audit.actor': 'Yapan', 'audit.target': 'Hedef',
    'audit.when': 'Zaman', 'audit.details': 'Ayrıntı',
    'inbox.subject': 'Konu', 'inbox.answer': 'Cevapla', 'inbox.send': 'Cevabı gönder', 'inbox.close': 'Kapat',
    'inbox.answers': 'Cevaplar', 'inbox.answered': 'Cevap gönderildi.', 'inbox.closed': 'İstek kapatıldı.',
    'inbox.open': 'açık', 'inbox.statusAnswered': 'cevaplandı', 'inbox.statusClosed': 'kapalı',
    'queues.name': 'Kuyruk', 'queues.progress': 'İlerleme', 'queues.sent': 'Gönderilen', 'queues.failed': 'Başarısız',
    'queues.total': 'Toplam',
    'bots.name': 'Bot', 'bots.symbol': 'Parite', 'bots.strategy': 'Strateji', 'bots.pnl': 'Gerçekleşen K/Z', 'bots.total': 'Toplam K/Z',
    'bots.trades': 'İşlem', 'bots.position': 'Pozisyon',
    'bots.killSwitch': 'Acil durdurma (herkes)', 'bots.killSwitchRelease': 'Acil durdurmayı kapat',
    'bots.killSwitchConfirm': 'Bütün kullanıcıların bütün botları durdurulacak ve pozisyonları piyasa fiyatından satılacak. Emin misiniz?',
    'bots.killSwitchEngaged': 'Acil durdurma açıldı (durdurulan / satılan / süren):', 'bots.killSwitchReleased': 'Acil durdurma kapatıldı; botlar durmuş kalır',
    'bot.price': 'Fiyat ve işlemler', 'bot.close': 'Kapanış', 'bot.buys': 'Alış', 'bot.sells': 'Satış',
    'bot.equityCurve': 'Özkaynak eğrisi', 'bot.equity': 'Özkaynak', 'bot.return': 'Getiri', 'bot.window': 'Aralık',
    'bot.side': 'Yön', 'bot.priceColumn': 'Fiyat', 'bot.quantity': 'Miktar', 'bot.fee': 'Komisyon',
    'bot.exitReason': 'Çıkış sebebi', 'bot.candlesUnavailable': 'Borsadan mumlar alınamadı; grafik eksik.',
    'bot.feed.live': 'canlı fiyatlar', 'bot.feed.generated': 'üretilmiş fiyatlar', 'bot.feed.replay': 'kayıtlı fiyatlar',
    'bot.feedGenerated': 'Bu botun fiyatları rastgele üretilmiş bir yürüyüş: gerçek bir piyasa değil.',
    'bot.orders': 'Bekleyen emirler', 'bot.orderKind': 'Tür', 'bot.stopPrice': 'Tetik fiyatı', 'bot.filled': 'Gerçekleşen',
    'bot.orderStatus': 'Durum', 'bot.placedAt': 'Verildiği an', 'bot.clientOrderId': 'Emir kimliği',
    'bot.order.limit': 'Limit emir', 'bot.order.stop': 'Zarar kes', 'bot.order.take_profit': 'Kâr al',
    'bot.order.stop_level': "Kapı'nın stopu", 'bot.order.limit.buy': 'Limit alış', 'bot.order.limit.sell': 'Limit satış',
    'bot.order.limitPrice': 'limit', 'bot.order.filledPart': 'gerçekleşen',
    'bot.order.status.open': 'açık', 'bot.order.status.pending': 'borsaya gidiyor',
  },
  en: {
    'app.title': 'Kapı Admin',
    'nav.dashboard': 'Dashboard', 'nav.users': 'Users', 'nav.audit': 'Audit log',
    'nav.inbox': 'Request inbox', 'nav.queues': 'Message queues', 'nav.bots': 'Trading bots',
    'nav.signOut': 'Sign out', 'nav.language': 'Türkçe',
    'nav.clients': 'OAuth clients', 'clients.name': 'Name', 'clients.clientId': 'client_id', 'clients.type': 'Type',
    'clients.grants': 'Grant types', 'clients.redirects': 'Redirect URIs (one a line)',
    'clients.postLogout': 'Post-logout redirect URIs', 'clients.scopes': 'Scopes (space-separated)',
    'clients.requireConsent': 'Ask users for consent', 'clients.backchannel': 'Back-channel logout URI',
    'clients.new': 'New client', 'clients.create': 'Register', 'clients.created': 'Client registered',
    'clients.confidential': 'Confidential (server)', 'clients.public': 'Public (browser, CLI)',
    'clients.secretOnce': 'The client secret is shown this once; keep it, it will not be shown again:',
    'clients.rotate': 'Rotate secret', 'clients.delete': 'Delete', 'clients.deleted': 'Client deleted',
    'clients.confirmDelete': 'Delete the client, with the consents users gave it and its tokens?',
    'nav.identityProviders': 'Identity providers', 'idp.alias': 'Alias', 'idp.type': 'Type',
    'idp.displayName': 'Display name', 'idp.displayNameHelp': "The preset's name when empty", 'idp.enabled': 'Enabled',
    'idp.linkByVerifiedEmail': 'Link to an existing account by verified email',
    'idp.trustProviderMfa': "Trust the provider's multi-factor sign-in", 'idp.preset': 'Provider',
    'idp.preset.google': 'Google', 'idp.preset.microsoft': 'Microsoft (with tenant)', 'idp.preset.github': 'GitHub',
    'idp.preset.oidc': 'Another OpenID provider (issuer)', 'idp.tenant': 'Microsoft tenant',
    'idp.issuer': 'Issuer URI', 'idp.clientId': 'client_id', 'idp.clientSecret': 'Client secret',
    'idp.secretWriteOnly': 'The secret is write-only: once saved it is never shown anywhere.',
    'idp.secretKeep': 'Leave it empty to keep the stored secret; type one to replace it. The stored secret is never shown.',
    'idp.scopes': 'Scopes (space-separated)', 'idp.scopesHelp': "The provider's defaults when empty",
    'idp.domains': 'Allowed email domains (all when empty)', 'idp.new': 'New provider', 'idp.create': 'Add',
    'idp.created': 'Provider added.', 'idp.editTitle': 'Edit:', 'idp.edit': 'Edit', 'idp.enable': 'Enable',
    'idp.disable': 'Disable', 'idp.enabledNow': 'Provider enabled.',
    'idp.disabled': 'Provider disabled.', 'idp.delete': 'Delete', 'idp.deleted': 'Provider deleted.',
    'idp.confirmDelete': 'Delete the provider with the identities linked through it? Those users keep their other ways in.',
    'signIn.title': 'Admin sign-in', 'signIn.username': 'Email or username', 'signIn.password': 'Password',
    'signIn.submit': 'Sign in', 'signIn.notAdmin': 'This console is for admins only.',
    'signIn.ended': 'Your session ended; please sign in again.',
    'signIn.secondFactor': 'Second factor', 'signIn.code': 'Authenticator code or recovery code',
    'signIn.secondFactorHelp': 'Enter the 6-digit code of your authenticator app or one of your recovery codes.',
    'signIn.verify': 'Verify', 'signIn.passkey': 'Sign in with a passkey',
    'signIn.usePasskey': 'Use a passkey', 'nav.account': 'My account',
    'reauth.title': 'Confirm it is you',
    'reauth.help': 'This change needs a proof from the last few minutes. Enter your password or, if you have a second factor, the 6-digit code of your authenticator app.',
    'reauth.proof': 'Password or authenticator code', 'reauth.confirm': 'Confirm and continue', 'reauth.cancel': 'Cancel',
    'account.title': 'My passkeys', 'account.addPasskey': 'Add a passkey', 'account.label': 'Name',
    'account.add': 'Add', 'account.added': 'Passkey added.', 'user.passkeys': 'Passkeys',
    'user.factors': 'Second factor', 'user.totp': 'Authenticator app (TOTP)',
    'user.recoveryLeft': 'Recovery codes left', 'user.removeFactors': 'Remove second factors',
    'user.confirmRemoveFactors': 'Remove every second factor of this user? They will sign in with their password alone.',
    'user.factorsRemoved': 'Second factors removed.', 'user.factorRequired': 'Required for this type',
    'common.loading': 'Loading…', 'common.next': 'Next page', 'common.first': 'First page',
    'common.save': 'Save', 'common.cancel': 'Cancel', 'common.search': 'Search', 'common.all': 'All',
    'common.none': 'Nothing here.', 'common.yes': 'Yes', 'common.no': 'No', 'common.back': '← Back',
    'common.status': 'Status', 'common.created': 'Created', 'common.user': 'User', 'common.saved': 'Saved.',
    'dash.range': 'Range', 'dash.apply': 'Show', 'dash.activeNow': 'Users active now',
    'dash.signUps': 'Sign-ups', 'dash.logins': 'Logins', 'dash.requests': 'Requests (last 60 min)',
    'dash.errorRate': 'Error rate (5xx)', 'dash.perDay': 'Sign-ups and logins per day', 'dash.perMinute': 'Requests per minute',
    'dash.errorsPerMinute': 'Error rate per minute', 'dash.usage': 'Usage per user (credits spent)',
    'dash.endpoints': 'Endpoints', 'dash.counts': 'By status', 'dash.queues': 'Queues', 'dash.bots': 'Bots',
    'dash.inbox': 'Requests', 'dash.method': 'Method', 'dash.uri': 'Route', 'dash.meanMillis': 'Mean ms',
    'dash.clientErrors': '4xx', 'dash.serverErrors': '5xx', 'dash.credits': 'Credits', 'dash.messages': 'Messages',
    'dash.activeBots': 'Active bots', 'dash.instance': 'Traffic is this instance\'s own measurement.',
    'users.search': 'Name, email or username', 'users.type': 'Type', 'users.new': 'New user',
    'users.username': 'Username', 'users.name': 'Name', 'users.surname': 'Surname', 'users.email': 'Email',
    'users.password': 'Password', 'users.phone': 'Phone', 'users.active': 'Active', 'users.credit': 'Credit',
    'users.debit': 'Debit', 'users.create': 'Create', 'users.created': 'User created.',
    'user.edit': 'Details', 'user.deactivate': 'Deactivate', 'user.delete': 'Delete permanently',
    'user.confirmDeactivate': 'Deactivate this user? Their sessions end at once.',
    'user.confirmDelete': 'Delete this user for good? This cannot be undone.',
    'user.loadCredits': 'Load credits', 'user.amount': 'Amount', 'user.note': 'Note', 'user.load': 'Load',
    'user.loaded': 'Credits loaded.', 'user.ledger': 'Credit ledger', 'user.kind': 'Kind', 'user.reason': 'Reason',
    'user.sessions': 'Sessions', 'user.ip': 'IP', 'user.agent': 'Browser', 'user.lastUsed': 'Last used',
    'user.expires': 'Expires', 'user.end': 'End', 'user.packages': 'Packages', 'user.package': 'Package',
    'user.validUntil': 'Valid until', 'user.startsAt': 'Starts', 'user.give': 'Give package', 'user.remove': 'Remove', 'user.days': 'days',
    'user.packageGiven': 'Package given.', 'user.contents': 'Contents', 'user.deactivated': 'User deactivated.',
    'audit.type': 'Event type', 'audit.account': 'Account id', 'audit.actor': 'Actor', 'audit.target': 'Target',
    'audit.when': 'When', 'audit.details': 'Details',
    'inbox.subject': 'Subject', 'inbox.answer': 'Answer', 'inbox.send': 'Send answer', 'inbox.close': 'Close',
    'inbox.answers': 'Answers', 'inbox.answered': 'Answer sent.', 'inbox.closed': 'Request closed.',
    'inbox.open': 'open', 'inbox.statusAnswered': 'answered', 'inbox.statusClosed': 'closed',
    'queues.name': 'Queue', 'queues.progress': 'Progress', 'queues.sent': 'Sent', 'queues.failed': 'Failed',
    'queues.total': 'Total',
    'bots.name': 'Bot', 'bots.symbol': 'Symbol', 'bots.strategy': 'Strategy', 'bots.pnl': 'Realized PnL', 'bots.total': 'Total PnL',
    'bots.trades': 'Trades', 'bots.position': 'Position',
    'bots.killSwitch': 'Kill switch (everyone)', 'bots.killSwitchRelease': 'Re-arm the kill switch',
    'bots.killSwitchConfirm': 'Every bot of every user will stop and every position will be sold at market. Are you sure?',
    'bots.killSwitchEngaged': 'Kill switch on (stopped / sold / under way):', 'bots.killSwitchReleased': 'Kill switch re-armed; bots stay stopped',
    'bot.price': 'Price and trades', 'bot.close': 'Close', 'bot.buys': 'Buys', 'bot.sells': 'Sells',
    'bot.equityCurve': 'Equity curve', 'bot.equity': 'Equity', 'bot.return': 'Return', 'bot.window': 'Window',
    'bot.side': 'Side', 'bot.priceColumn': 'Price', 'bot.quantity': 'Quantity', 'bot.fee': 'Fee',
    'bot.exitReason': 'Exit reason', 'bot.candlesUnavailable': 'The exchange did not give the candles; the chart is incomplete.',
    'bot.feed.live': 'live prices', 'bot.feed.generated': 'generated prices', 'bot.feed.replay': 'stored prices',
    'bot.feedGenerated': "This bot's prices are a generated random walk, not a market.",
    'bot.orders': 'Standing orders', 'bot.orderKind': 'Kind', 'bot.stopPrice': 'Trigger', 'bot.filled': 'Filled',
    'bot.orderStatus': 'Status', 'bot.placedAt': 'Placed', 'bot.clientOrderId': 'Client order id',
    'bot.order.limit': 'Limit order', 'bot.order.stop': 'Stop', 'bot.order.take_profit': 'Take profit',
    'bot.order.stop_level': "Kapı's stop", 'bot.order.limit.buy': 'Limit buy', 'bot.order.limit.sell': 'Limit sell',
    'bot.order.limitPrice': 'limit', 'bot.order.filledPart': 'filled',
    'bot.order.status.open': 'open', 'bot.order.status.pending': 'on its way to the exchange',
  },
};

let current = (() => {
  try {
    return localStorage.getItem('kapi.console.lang') === 'en' ? 'en' : 'tr';
  } catch {
    return 'tr';
  }
})();

export function lang() {
  return current;
}

export function setLang(value) {
  current = value === 'en' ? 'en' : 'tr';
  document.documentElement.lang = current;
  try {
    localStorage.setItem('kapi.console.lang', current);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function t(key) {
  return texts[current][key] ?? texts.tr[key] ?? key;
}

const numbers = { tr: new Intl.NumberFormat('tr-TR'), en: new Intl.NumberFormat('en-US') };

export function number(value) {
  return value === null || value === undefined ? '–' : numbers[current].format(value);
}

export function percent(rate) {
  return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(1) + ' %';
}

export function time(iso) {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(current === 'en' ? 'en-GB' : 'tr-TR', { timeZone: 'UTC' }) + ' UTC';
}
