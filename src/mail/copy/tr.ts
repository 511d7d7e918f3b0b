import { formatDuration } from '../../domain/duration';
import { formatCount, formatDate, oneLine } from './format';
import type { MailContent, MailCopy } from './types';

// Türkçe. The panel's Turkish names of places (Ayarlar > Hesabımı Düzenle) follow the help article.

const mail = (subject: string, body: string): MailContent => ({ subject, text: `${body}\n\n— ConnectProf` });
const duration = (ms: number) => formatDuration(ms, 'tr');
const date = (at: Date) => formatDate(at, 'tr');
const count = (n: number) => formatCount(n, 'tr');

const CODE_PURPOSES = {
  signup: 'yeni ConnectProf hesabınızın e-posta adresini doğrulamak için',
  email_change: 'bu adresi ConnectProf hesabınızın yeni e-posta adresi olarak onaylamak için',
  two_factor_email: 'ConnectProf hesabınızda e-posta ile doğrulamayı açmak için',
  two_factor_disable: 'ConnectProf hesabınızda iki adımlı doğrulamayı kapatmak için',
  confirm_closure: 'ConnectProf hesabınızı kapatmak istediğinizi onaylamak için',
  replace_recovery_codes: 'ConnectProf hesabınız için yeni kurtarma kodları istediğinizi onaylamak için',
  password_reset: 'ConnectProf hesabınız için yeni bir şifre belirlemek için',
};

export const tr: MailCopy = {
  verificationCode: ({ code, purpose, ttlMs }) =>
    mail(
      `ConnectProf doğrulama kodunuz: ${code}`,
      `${CODE_PURPOSES[purpose]} bu kodu girin:\n\n    ${code}\n\nKod ${duration(ttlMs)} geçerlidir. Bu kodu siz istemediyseniz bu e-postayı dikkate almayın.`,
    ),
  loginCode: ({ code, ttlMs }) =>
    mail(
      `ConnectProf giriş kodunuz: ${code}`,
      `Girişi tamamlamak için bu kodu girin:\n\n    ${code}\n\nKod ${duration(ttlMs)} geçerlidir. Giriş yapan siz değilseniz şifrenizi değiştirin.`,
    ),
  signupAttempt: () =>
    mail(
      'Adresinizle bir ConnectProf hesabı açılmaya çalışıldı',
      'Bu adrese ait bir hesap zaten var, bu yüzden yeni hesap açılmadı. Bu siz idiyseniz giriş yapın ya da şifrenizi sıfırlayın. Değilseniz bu e-postayı dikkate almayın.',
    ),
  addressInUse: () =>
    mail(
      'Başka bir ConnectProf hesabı adresinize taşınmaya çalışıldı',
      'Adresiniz zaten bir ConnectProf hesabının e-posta adresi; bu yüzden başka bir hesaba eklenmedi ve kod gönderilmedi. Bu siz idiyseniz bu adresle giriş yapın. Değilseniz bu e-postayı dikkate almayın.',
    ),
  emailChanged: ({ newEmailMasked }) =>
    mail(
      'ConnectProf hesabınızın e-posta adresi değiştirildi',
      `Hesabınızın e-posta adresi artık ${newEmailMasked}. Bu değişikliği siz yapmadıysanız hemen destek ekibiyle iletişime geçin.`,
    ),
  passwordChanged: () =>
    mail(
      'ConnectProf şifreniz değiştirildi',
      'Şifreniz az önce değiştirildi ve diğer tüm oturumlar kapatıldı. Bu siz değilseniz hemen destek ekibiyle iletişime geçin.',
    ),
  passwordReset: () =>
    mail(
      'ConnectProf şifreniz sıfırlandı',
      'Hesabınızın şifresi bu adrese gönderilen bir kodla az önce sıfırlandı ve tüm oturumlar kapatıldı.',
    ),
  passwordReminder: ({ expiresAt, beforeMs }) =>
    mail(
      `ConnectProf şifrenizin süresi ${duration(beforeMs)} içinde doluyor`,
      `Şifrenizin süresi ${date(expiresAt)} tarihinde doluyor. O tarihten önce Ayarlar > Hesabımı Düzenle > Şifre Değişikliği bölümünden değiştirin; süresi dolan şifre bir sonraki girişte değiştirilmelidir.`,
    ),
  passwordExpired: ({ maxAgeMs }) =>
    mail(
      'ConnectProf şifrenizin süresi doldu',
      `Şifreniz ${duration(maxAgeMs)} süreden daha eski. Bir sonraki girişinizde devam etmeden önce yeni bir şifre belirlemeniz istenecek.`,
    ),
  accountClosed: ({ purgeAt }) =>
    mail(
      'ConnectProf hesabınız kapatıldı',
      `Hesabınız kapatıldı ve tüm entegrasyonları devre dışı bırakıldı. Ürünleriniz, siparişleriniz ve entegrasyonlarınız ${date(purgeAt)} tarihinde kalıcı olarak silinecek.\n\nFikrinizi mi değiştirdiniz? Bu tarihten önce giriş yapın, hesabınız hemen yeniden etkinleşir (entegrasyonlarınızı tek tek yeniden açmanız gerekir). Verilerinize mi ihtiyacınız var? Bu tarihten önce destek ekibimizle iletişime geçin.`,
    ),
  accountReactivated: ({ gracePeriodMs }) =>
    mail(
      'ConnectProf hesabınız yeniden etkin',
      `Hesabınızı kapattıktan sonraki ${duration(gracePeriodMs)} içinde giriş yaptığınız için hesabınız yeniden etkin ve hiçbir şey silinmedi. Entegrasyonlarınız hâlâ kapalı: her birini Entegrasyonlar bölümünden yeniden açın.`,
    ),
  accountPurged: ({ deleted, purgedAt, receiptId }) =>
    mail(
      'ConnectProf hesabınız silindi',
      `Bildirildiği gibi ConnectProf hesabınız ${date(purgedAt)} tarihinde, içerdiği her şeyle birlikte kalıcı olarak silindi:\n\n    Entegrasyonlar: ${count(deleted.integrations)}\n    Ürünler: ${count(deleted.products)}\n    Siparişler: ${count(deleted.orders)}\n    Hesabın kendisi; profili, oturumları ve giriş ayarlarıyla birlikte\n\nMakbuz numarası: ${receiptId}\n\nBu e-postayı silme işleminin kanıtı olarak saklayın; bu konuda bize yazarsanız makbuz numarasını belirtin. Yalnızca makbuz numarasını ve bu sayıları, sizi tanımlayan hiçbir bilgi olmadan saklıyoruz; bu e-posta da saklanmıyor.`,
    ),
  authenticatorEnabled: () =>
    mail(
      'Google Authenticator açıldı',
      'Bundan sonra ConnectProf girişlerinde doğrulama uygulamanızdaki kod istenecek.',
    ),
  mailAuthenticationEnabled: () =>
    mail(
      'E-posta ile doğrulama açıldı',
      'Bundan sonra ConnectProf girişlerinde bu adrese gönderilen bir kod istenecek.',
    ),
  twoFactorDisabled: () =>
    mail(
      'İki adımlı doğrulama kapatıldı',
      'ConnectProf girişlerinde artık ikinci bir doğrulama istenmeyecek. Bu siz değilseniz şifrenizi değiştirin ve destek ekibiyle iletişime geçin.',
    ),
  supportReply: ({ requestSubject, reply, resolved }) => {
    const subject = oneLine(requestSubject);
    const closing = resolved
      ? 'Talebinizi çözüldü olarak işaretledik. Başka bir konuda yardıma ihtiyacınız olursa Destek sayfasından yeni bir talep açın.'
      : 'Yazışmanın tamamını ConnectProf panelinizin Destek sayfasında okuyabilirsiniz.';
    return mail(
      `Ynt: ${subject}`,
      `Destek ekibimiz "${subject}" konulu talebinizi yanıtladı:\n\n${reply}\n\n${closing}`,
    );
  },
  newDevice: ({ device, network, at, unseenForMs }) =>
    mail(
      'ConnectProf hesabınıza yeni bir cihazdan giriş yapıldı',
      `Hesabınıza son ${duration(unseenForMs)} içinde kullanılmamış bir cihazdan giriş yapıldı: ${oneLine(device)}, ağ ${network}, ${date(at)}.`,
    ),
  lockLinkParagraph: ({ link, validForMs }) =>
    `Bu ben değilim: bu işlemi siz yapmadıysanız hesabınızı bu bağlantıyla kilitleyin (${duration(validForMs)} boyunca, bir kez geçerli). Tüm oturumlar kapatılır, bu süre içindeki e-posta değişikliği geri alınır ve bir sonraki girişten önce şifrenizi sıfırlamanız istenir:\n\n    ${link}`,
  recoveryCodesReplaced: () =>
    mail(
      'ConnectProf kurtarma kodlarınız yenilendi',
      'Hesabınız için yeni kurtarma kodları oluşturuldu; eski kodlar artık geçersiz.',
    ),
};
